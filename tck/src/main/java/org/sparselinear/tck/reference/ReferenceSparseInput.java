package org.sparselinear.tck.reference;

import java.util.Arrays;
import org.sparselinear.api.Connectivity;

/**
 * Plain references for {@link org.sparselinear.spi.SparseInputProducts}: a sparse batch {@code X}
 * (a {@code (B, in)} pattern and its values in the pattern's order) times a weight
 * {@code (out, in)}, dense (row-major {@link HostMatrix}) or sparse (a pattern and its values).
 * Straight loops over the stored entries of {@code X} and every output, accumulated in double,
 * written for clarity and never for speed. Each returns the result as if its output started at
 * zero; an accumulating call is checked against {@code result.plus(prior)}.
 */
public final class ReferenceSparseInput {

    private ReferenceSparseInput() {}

    /** {@code y[b, o] = sum over stored (b, i) at j of xValues[j] * W[o, i]}. */
    public static Expected denseForward(Connectivity x, float[] xValues, HostMatrix weight) {
        return forward(x, xValues, Weight.dense(weight));
    }

    /** {@code dWeight[o, i] = sum over stored (b, i) at j of xValues[j] * dy[b, o]}, shape (out, in). */
    public static Expected denseWeightGradient(Connectivity x, float[] xValues, HostMatrix dy) {
        Expected dWeight = new Expected(dy.columns(), x.columns());
        weightGradient(x, xValues, new Weight(dy.columns(), x.columns(), null, null), dy, dWeight);
        return dWeight;
    }

    /** {@code dxValues[j] = sum_o dy[b, o] * W[o, i]} for the stored {@code (b, i)} of X at {@code j}. */
    public static Expected denseInputGradient(Connectivity x, HostMatrix dy, HostMatrix weight) {
        return inputGradient(x, Weight.dense(weight), dy);
    }

    /** {@code y[b, o] = sum over stored (b, i) at j and connections (o, i) at k of xValues[j] * values[k]}. */
    public static Expected sparseForward(Connectivity x, float[] xValues, Connectivity weight, float[] values) {
        return forward(x, xValues, Weight.sparse(weight, values));
    }

    /** {@code dValues[k] = sum over stored (b, i) of X of xValues * dy[b, o]} for the connection (o, i) at k. */
    public static Expected sparseWeightGradient(Connectivity x, float[] xValues, Connectivity weight, HostMatrix dy) {
        Expected dValues = new Expected(1, weight.nnz());
        weightGradient(x, xValues, Weight.sparse(weight, null), dy, dValues);
        return dValues;
    }

    /** {@code dxValues[j] = sum over connections (o, i) at k of dy[b, o] * values[k]} for the stored (b, i) at j. */
    public static Expected sparseInputGradient(Connectivity x, Connectivity weight, float[] values, HostMatrix dy) {
        return inputGradient(x, Weight.sparse(weight, values), dy);
    }

    /** {@code y[b, o] = sum over stored (b, i) at j and connections (i, o) of T at k of xValues[j] * values[k]}. */
    public static Expected transposedSparseForward(
            Connectivity x, float[] xValues, Connectivity weightT, float[] values) {
        return forward(x, xValues, Weight.transposedSparse(weightT, values));
    }

    /** {@code dValues[k] = sum over stored (b, i) of X of xValues * dy[b, o]} for the connection (i, o) of T at k. */
    public static Expected transposedSparseWeightGradient(
            Connectivity x, float[] xValues, Connectivity weightT, HostMatrix dy) {
        Expected dValues = new Expected(1, weightT.nnz());
        weightGradient(x, xValues, Weight.transposedSparse(weightT, null), dy, dValues);
        return dValues;
    }

    /** {@code dxValues[j] = sum over connections (i, o) of T at k of dy[b, o] * values[k]} for the stored (b, i) at j. */
    public static Expected transposedSparseInputGradient(
            Connectivity x, Connectivity weightT, float[] values, HostMatrix dy) {
        return inputGradient(x, Weight.transposedSparse(weightT, values), dy);
    }

    private static Expected forward(Connectivity x, float[] xValues, Weight weight) {
        Expected y = new Expected(x.rows(), weight.outputs);
        for (int b = 0; b < x.rows(); b++) {
            for (int j = x.rowStart(b); j < x.rowStart(b + 1); j++) {
                for (int o = 0; o < weight.outputs; o++) {
                    int k = weight.position(o, x.column(j));
                    if (k >= 0) {
                        y.add(b * weight.outputs + o, (double) xValues[j] * weight.values[k]);
                    }
                }
            }
        }
        return y;
    }

    private static void weightGradient(
            Connectivity x, float[] xValues, Weight weight, HostMatrix dy, Expected dWeight) {
        for (int b = 0; b < x.rows(); b++) {
            for (int j = x.rowStart(b); j < x.rowStart(b + 1); j++) {
                for (int o = 0; o < weight.outputs; o++) {
                    int k = weight.position(o, x.column(j));
                    if (k >= 0) {
                        dWeight.add(k, (double) xValues[j] * dy.get(b, o));
                    }
                }
            }
        }
    }

    private static Expected inputGradient(Connectivity x, Weight weight, HostMatrix dy) {
        Expected dxValues = new Expected(1, x.nnz());
        for (int b = 0; b < x.rows(); b++) {
            for (int j = x.rowStart(b); j < x.rowStart(b + 1); j++) {
                for (int o = 0; o < weight.outputs; o++) {
                    int k = weight.position(o, x.column(j));
                    if (k >= 0) {
                        dxValues.add(j, (double) dy.get(b, o) * weight.values[k]);
                    }
                }
            }
        }
        return dxValues;
    }

    /**
     * A weight {@code (outputs, inputs)} seen the same way whether dense or sparse: the position
     * of {@code (o, i)} in its value array (row-major for a dense weight, the pattern's order for a
     * sparse one), or -1 where a sparse weight has no connection.
     */
    private static final class Weight {

        final int outputs;
        final float[] values;
        private final int inputs;
        private final int[] positions;

        /** {@code positions} null: dense, row-major; {@code values} null: only positions are asked for. */
        Weight(int outputs, int inputs, float[] values, int[] positions) {
            this.outputs = outputs;
            this.inputs = inputs;
            this.values = values;
            this.positions = positions;
        }

        static Weight dense(HostMatrix weight) {
            return new Weight(weight.rows(), weight.columns(), weight.values(), null);
        }

        static Weight sparse(Connectivity weight, float[] values) {
            int[] positions = new int[weight.rows() * weight.columns()];
            Arrays.fill(positions, -1);
            for (int o = 0; o < weight.rows(); o++) {
                for (int k = weight.rowStart(o); k < weight.rowStart(o + 1); k++) {
                    positions[o * weight.columns() + weight.column(k)] = k;
                }
            }
            return new Weight(weight.rows(), weight.columns(), values, positions);
        }

        /** A sparse weight held input-major: {@code weightT} is {@code W^T}, {@code (inputs, outputs)}. */
        static Weight transposedSparse(Connectivity weightT, float[] values) {
            int inputs = weightT.rows();
            int outputs = weightT.columns();
            int[] positions = new int[outputs * inputs];
            Arrays.fill(positions, -1);
            for (int i = 0; i < inputs; i++) {
                for (int k = weightT.rowStart(i); k < weightT.rowStart(i + 1); k++) {
                    positions[weightT.column(k) * inputs + i] = k;
                }
            }
            return new Weight(outputs, inputs, values, positions);
        }

        int position(int o, int i) {
            return positions == null ? o * inputs + i : positions[o * inputs + i];
        }
    }
}
