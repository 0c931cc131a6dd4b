package org.sparselinear.spi;

import java.util.Arrays;
import org.sparselinear.api.Backend;
import org.sparselinear.api.Connectivity;

/**
 * Plain host loops over row-major arrays for the operations that {@link AbstractBackend}
 * implements by default (K-Winners, boost factors, RigL's gradient top-k, gather): the portable
 * fallback every backend inherits until it brings kernels of its own. Single-threaded, written
 * for clarity.
 */
final class HostKernels {

    /** Rows of the dense gradient computed at once: bounds the block at this many elements. */
    static final int BLOCK_ELEMENTS = 1 << 20;

    private HostKernels() {}

    /**
     * The key that orders the K-Winners candidates of a row: ascending keys are descending
     * scores (NaN last, {@code -0.0 == 0.0}), equal scores by ascending column.
     */
    static long winnerKey(float score, int column) {
        return ((long) ~RunningTopK.rank(score) << 32) | column;
    }

    /** {@link Backend#kWinners} on row-major {@code (rows, columns)} arrays. */
    static void kWinners(float[] x, float[] boost, int rows, int columns, int k, float[] y, float[] mask) {
        long[] keys = new long[columns];
        for (int r = 0; r < rows; r++) {
            int offset = r * columns;
            for (int c = 0; c < columns; c++) {
                keys[c] = winnerKey(x[offset + c] * boost[c], c);
            }
            long threshold = Long.MIN_VALUE;
            if (k > 0) {
                long[] sorted = keys.clone();
                Arrays.sort(sorted);
                threshold = sorted[k - 1];
            }
            for (int c = 0; c < columns; c++) {
                boolean wins = k > 0 && keys[c] <= threshold;
                y[offset + c] = wins ? x[offset + c] : 0f;
                mask[offset + c] = wins ? 1f : 0f;
            }
        }
    }

    /** {@link Backend#boostFactors}. */
    static void boostFactors(float[] dutyCycle, float density, float strength, float[] boost) {
        for (int f = 0; f < dutyCycle.length; f++) {
            boost[f] = (float) Math.exp((double) strength * ((double) density - dutyCycle[f]));
        }
    }

    /** {@link Backend#topKAbsDenseGradient} on row-major {@code dy (batch, out)} and {@code x (batch, in)}. */
    static int[][] topKAbsDenseGradient(float[] dy, float[] x, int batch, Connectivity exclude, int k) {
        int out = exclude.rows();
        int in = exclude.columns();
        long empty = (long) out * in - exclude.nnz();
        RunningTopK best = new RunningTopK((int) Math.min(k, empty));
        float[] gradient = new float[in];
        for (int o = 0; o < out; o++) {
            Arrays.fill(gradient, 0f);
            for (int b = 0; b < batch; b++) {
                float d = dy[b * out + o];
                int offset = b * in;
                for (int i = 0; i < in; i++) {
                    gradient[i] += d * x[offset + i];
                }
            }
            int next = exclude.rowStart(o);
            int end = exclude.rowStart(o + 1);
            long rowPosition = (long) o * in;
            for (int i = 0; i < in; i++) {
                if (next < end && exclude.column(next) == i) {
                    next++;
                    continue;
                }
                best.offer(Math.abs(gradient[i]), rowPosition + i);
            }
        }
        return positionsToCoo(best.drainBestFirst(), in);
    }

    /** Row-major positions as a {@code (2, m)} array of rows and columns of a matrix with {@code columns} columns. */
    static int[][] positionsToCoo(long[] positions, int columns) {
        int[] rows = new int[positions.length];
        int[] cols = new int[positions.length];
        for (int j = 0; j < positions.length; j++) {
            rows[j] = (int) (positions[j] / columns);
            cols[j] = (int) (positions[j] % columns);
        }
        return new int[][] {rows, cols};
    }

    /** {@link Backend#gather}. */
    static float[] gather(float[] source, int[] sourcePositions) {
        float[] target = new float[sourcePositions.length];
        for (int j = 0; j < target.length; j++) {
            int from = sourcePositions[j];
            target[j] = from >= 0 ? source[from] : 0f;
        }
        return target;
    }
}
