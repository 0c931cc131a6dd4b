package org.sparselinear.nn;

import java.util.Arrays;
import java.util.List;
import java.util.function.IntUnaryOperator;
import org.sparselinear.api.Connectivity;
import org.sparselinear.api.Layer;
import org.sparselinear.api.Parameter;
import org.sparselinear.spi.RunningTopK;

/**
 * Magnitude pruning (Han et al. 2015, "Learning both weights and connections for efficient neural
 * networks"): the weights of a layer to keep are the {@code count} with the largest magnitudes
 * over the whole matrix; equal magnitudes keep the lower position, and a NaN weight is pruned
 * before any number. {@link SparseLinear#fromDense} prunes once, {@link GradualMagnitudePruning}
 * step by step.
 */
final class MagnitudePruning {

    private MagnitudePruning() {}

    /**
     * {@code layer}, a {@link Linear} or {@link SparseLinear}, as a new {@code SparseLinear} on its
     * backend with only its {@code count} largest-magnitude weights and its bias (topology
     * {@code "user"}); the layer itself is left as it was.
     */
    static Pruned prune(Layer layer, int count) {
        List<Parameter> parameters = layer.parameters();
        Kept kept;
        int in;
        int out;
        if (layer instanceof SparseLinear sparse) {
            in = sparse.inFeatures();
            out = sparse.outFeatures();
            // weightValues() puts the values (and the optimizer state the kept positions index) in connection order
            kept = largest(sparse.weightValues().toArray(), sparse.connectivity(), count);
        } else {
            Linear dense = (Linear) layer;
            in = dense.inFeatures();
            out = dense.outFeatures();
            kept = largest(parameters.get(0).toArray(), out, in, count);
        }
        float[] bias = parameters.size() > 1 ? parameters.get(1).toArray() : null;
        SparseLinear pruned = SparseLinear.fromCoo(
                in, out, kept.indices(), kept.values(), bias, parameters.get(0).backend());
        return new Pruned(pruned, kept.positions());
    }

    /** The kept weights of a row-major {@code (rows, columns)} dense weight; see {@link Kept}. */
    static Kept largest(float[] weight, int rows, int columns, int count) {
        return select(weight, count, position -> position / columns, position -> position % columns);
    }

    /** The kept connections of a sparse weight, {@code values} in the connectivity's order; see {@link Kept}. */
    static Kept largest(float[] values, Connectivity connectivity, int count) {
        int[][] coo = connectivity.toCoo();
        return select(values, count, position -> coo[0][position], position -> coo[1][position]);
    }

    private static Kept select(float[] weight, int count, IntUnaryOperator row, IntUnaryOperator column) {
        RunningTopK best = new RunningTopK(count);
        for (int position = 0; position < weight.length; position++) {
            best.offer(Math.abs(weight[position]), position);
        }
        long[] drained = best.drainBestFirst();
        int[] positions = new int[drained.length];
        for (int k = 0; k < drained.length; k++) {
            positions[k] = (int) drained[k];
        }
        Arrays.sort(positions);
        int[][] indices = new int[2][positions.length];
        float[] values = new float[positions.length];
        for (int k = 0; k < positions.length; k++) {
            indices[0][k] = row.applyAsInt(positions[k]);
            indices[1][k] = column.applyAsInt(positions[k]);
            values[k] = weight[positions[k]];
        }
        return new Kept(indices, values, positions);
    }

    /**
     * Kept connections: {@code (2, nnz)} COO indices (rows, then columns) in row-major order, one
     * value each, and for each the position of its weight in the pruned layer's weight parameter
     * (ascending), which optimizer state follows.
     */
    record Kept(int[][] indices, float[] values, int[] positions) {}

    /** A pruned layer and, for each of its connections, the position of its weight in the original layer's weight parameter. */
    record Pruned(SparseLinear layer, int[] keptPositions) {}
}
