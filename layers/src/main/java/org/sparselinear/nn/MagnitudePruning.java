package org.sparselinear.nn;

import java.util.Arrays;
import org.sparselinear.spi.RunningTopK;

/**
 * One-shot magnitude pruning (Han et al. 2015, "Learning both weights and connections for
 * efficient neural networks"): the positions of a dense weight to keep are the {@code count} with
 * the largest magnitudes over the whole matrix; equal magnitudes keep the lower row-major
 * position, and a NaN weight is pruned before any number.
 */
final class MagnitudePruning {

    private MagnitudePruning() {}

    /**
     * The kept connections of a row-major {@code (rows, columns)} weight as COO {@code (2, count)}
     * (rows, then columns) in row-major order, and their values.
     */
    static Kept largest(float[] weight, int rows, int columns, int count) {
        RunningTopK best = new RunningTopK(count);
        for (int position = 0; position < weight.length; position++) {
            best.offer(Math.abs(weight[position]), position);
        }
        long[] positions = best.drainBestFirst();
        Arrays.sort(positions);
        int[][] indices = new int[2][positions.length];
        float[] values = new float[positions.length];
        for (int k = 0; k < positions.length; k++) {
            int position = (int) positions[k];
            indices[0][k] = position / columns;
            indices[1][k] = position % columns;
            values[k] = weight[position];
        }
        return new Kept(indices, values);
    }

    /** Kept connections: {@code (2, nnz)} indices and one value each. */
    record Kept(int[][] indices, float[] values) {}
}
