package org.sparselinear.tck.reference;

import org.sparselinear.api.Activation;
import org.sparselinear.api.Connectivity;
import org.sparselinear.spi.DropoutMask;

/**
 * Plain references for the sparse products, GEMM and the element-wise operations: straight
 * loops over row-major host arrays, accumulated in double, written for clarity and never for
 * speed. Each returns the operation's result as if its output started at zero; an accumulating
 * call is checked against {@code result.plus(prior)}.
 */
public final class ReferenceOps {

    private ReferenceOps() {}

    /** {@code y = x W^T}: {@code y[b, o] = sum over stored (o, i) at k of values[k] * x[b, i]}. */
    public static Expected spmm(Connectivity weight, float[] values, HostMatrix x) {
        Expected y = new Expected(x.rows(), weight.rows());
        for (int b = 0; b < x.rows(); b++) {
            for (int o = 0; o < weight.rows(); o++) {
                for (int k = weight.rowStart(o); k < weight.rowStart(o + 1); k++) {
                    y.add(b * weight.rows() + o, (double) values[k] * x.get(b, weight.column(k)));
                }
            }
        }
        return y;
    }

    /** {@code dx = dy W}: {@code dx[b, i] = sum over stored (o, i) at k of values[k] * dy[b, o]}. */
    public static Expected spmmTransposed(Connectivity weight, float[] values, HostMatrix dy) {
        Expected dx = new Expected(dy.rows(), weight.columns());
        for (int b = 0; b < dy.rows(); b++) {
            for (int o = 0; o < weight.rows(); o++) {
                for (int k = weight.rowStart(o); k < weight.rowStart(o + 1); k++) {
                    dx.add(b * weight.columns() + weight.column(k), (double) values[k] * dy.get(b, o));
                }
            }
        }
        return dx;
    }

    /** {@code dValues[k] = sum_b dy[b, o] * x[b, i]} for the stored {@code (o, i)} at {@code k}. */
    public static Expected sddmm(Connectivity weight, HostMatrix dy, HostMatrix x) {
        Expected dValues = new Expected(1, weight.nnz());
        for (int o = 0; o < weight.rows(); o++) {
            for (int k = weight.rowStart(o); k < weight.rowStart(o + 1); k++) {
                for (int b = 0; b < dy.rows(); b++) {
                    dValues.add(k, (double) dy.get(b, o) * x.get(b, weight.column(k)));
                }
            }
        }
        return dValues;
    }

    /** {@code c = op(a) op(b)}, {@code op} transposing where its flag is set. */
    public static Expected gemm(HostMatrix a, boolean transposeA, HostMatrix b, boolean transposeB) {
        int m = transposeA ? a.columns() : a.rows();
        int inner = transposeA ? a.rows() : a.columns();
        int n = transposeB ? b.rows() : b.columns();
        Expected c = new Expected(m, n);
        for (int i = 0; i < m; i++) {
            for (int j = 0; j < n; j++) {
                for (int p = 0; p < inner; p++) {
                    float left = transposeA ? a.get(p, i) : a.get(i, p);
                    float right = transposeB ? b.get(j, p) : b.get(p, j);
                    c.add(i * n + j, (double) left * right);
                }
            }
        }
        return c;
    }

    /** {@code y[r, c] + row[0, c]}. */
    public static Expected addRowVector(HostMatrix y, HostMatrix row) {
        Expected sum = new Expected(y.rows(), y.columns());
        for (int r = 0; r < y.rows(); r++) {
            for (int c = 0; c < y.columns(); c++) {
                sum.add(r * y.columns() + c, y.get(r, c));
                sum.add(r * y.columns() + c, row.get(0, c));
            }
        }
        return sum;
    }

    /** {@code sums[0, c] = sum_r x[r, c]}. */
    public static Expected columnSums(HostMatrix x) {
        Expected sums = new Expected(1, x.columns());
        for (int r = 0; r < x.rows(); r++) {
            for (int c = 0; c < x.columns(); c++) {
                sums.add(c, x.get(r, c));
            }
        }
        return sums;
    }

    /**
     * {@code f(x)} from the function's double formula. The magnitude is {@code |f(x)| + |x|}, since
     * a float kernel's formula may cancel terms of the size of {@code x} (GELU's {@code 1 + tanh}
     * for negative inputs); an exact zero result (the rectifier of a negative input) has
     * magnitude 0 and must be exact.
     */
    public static Expected activate(Activation f, HostMatrix x) {
        Expected y = new Expected(x.rows(), x.columns());
        for (int i = 0; i < x.values().length; i++) {
            double input = x.values()[i];
            double value = f.apply(input);
            y.add(i, value, value == 0 ? 0 : Math.abs(value) + Math.abs(input));
        }
        return y;
    }

    /**
     * {@code dy * f'(x, y)} from the function's double derivative, with magnitude
     * {@code |dy| (|f'| + 1 + |x|)} (the derivatives subtract terms of size 1 and of size
     * {@code |x|}), 0 where the result is exactly 0.
     */
    public static Expected activateBackward(Activation f, HostMatrix x, HostMatrix y, HostMatrix dy) {
        Expected dx = new Expected(x.rows(), x.columns());
        for (int i = 0; i < x.values().length; i++) {
            double input = x.values()[i];
            double slope = f.derivative(input, y.values()[i]);
            double value = dy.values()[i] * slope;
            double magnitude = Math.abs(dy.values()[i]) * (Math.abs(slope) + 1 + Math.abs(input));
            dx.add(i, value, value == 0 ? 0 : magnitude);
        }
        return dx;
    }

    /** {@code y + alpha * x}. */
    public static Expected axpy(float alpha, HostMatrix x, HostMatrix y) {
        Expected sum = new Expected(y.rows(), y.columns());
        for (int i = 0; i < y.values().length; i++) {
            sum.add(i, y.values()[i]);
            sum.add(i, (double) alpha * x.values()[i]);
        }
        return sum;
    }

    /** {@code alpha * x}. */
    public static Expected scale(HostMatrix x, float alpha) {
        Expected scaled = new Expected(x.rows(), x.columns());
        for (int i = 0; i < x.values().length; i++) {
            scaled.add(i, (double) alpha * x.values()[i]);
        }
        return scaled;
    }

    /**
     * Inverted dropout's exact result, {@code x * (m * scale)} in float, with the mask and the scale
     * of {@link DropoutMask} at each element's row-major index: the specification every backend
     * matches bit for bit.
     */
    public static float[] dropout(HostMatrix x, long key, float p) {
        int threshold = DropoutMask.threshold(p);
        float scale = DropoutMask.scale(p);
        float[] y = new float[x.values().length];
        for (int i = 0; i < y.length; i++) {
            y[i] = x.values()[i] * (DropoutMask.kept(key, i, threshold) ? scale : 0f);
        }
        return y;
    }

    /** The column of each row's largest element, the first one on ties. */
    public static int[] argmaxRows(HostMatrix matrix) {
        int[] argmax = new int[matrix.rows()];
        for (int r = 0; r < matrix.rows(); r++) {
            for (int c = 1; c < matrix.columns(); c++) {
                if (matrix.get(r, c) > matrix.get(r, argmax[r])) {
                    argmax[r] = c;
                }
            }
        }
        return argmax;
    }
}
