package org.sparselinear.backend.cpu;

import org.sparselinear.spi.RunningTopK;

/**
 * The K-Winners kernels on feature-major data (element {@code (b, f)} at {@code f * batch + b}):
 * per-row top-k of the boosted scores, and the boost factors. Rows are split among the threads;
 * each row's winners are found by selecting the k-th smallest of its {@code F} candidate keys
 * (quickselect, expected O(F), falling back to a sort if it recurses too deep), so a row costs
 * O(F) rather than a sort's O(F log F).
 *
 * <p>A candidate's key orders descending scores, then ascending columns
 * ({@code ((long) ~rank(score) << 32) | column}, see {@link RunningTopK#rank}); keys are distinct,
 * so the winners are exactly the keys up to the k-th smallest, ties resolved as the API states.
 */
final class KWinnersKernels {

    private final WorkerPool pool;

    KWinnersKernels(WorkerPool pool) {
        this.pool = pool;
    }

    /** The key of a candidate: ascending keys are descending scores (NaN last), then ascending columns. */
    static long key(float score, int column) {
        return ((long) ~RunningTopK.rank(score) << 32) | column;
    }

    void kWinners(float[] x, float[] boost, int batch, int features, int k, float[] y, float[] mask) {
        if (k == 0 || k == features) {
            float keep = k == 0 ? 0f : 1f;
            pool.forRange(x.length, 1, (start, end) -> {
                for (int i = start; i < end; i++) {
                    y[i] = keep == 0f ? 0f : x[i];
                    mask[i] = keep;
                }
            });
            return;
        }
        pool.forRange(batch, features, (start, end) -> {
            long[] keys = new long[features];
            long[] scratch = new long[features];
            for (int b = start; b < end; b++) {
                for (int f = 0; f < features; f++) {
                    keys[f] = key(x[f * batch + b] * boost[f], f);
                }
                System.arraycopy(keys, 0, scratch, 0, features);
                long threshold = select(scratch, k - 1);
                for (int f = 0; f < features; f++) {
                    int index = f * batch + b;
                    boolean wins = keys[f] <= threshold;
                    y[index] = wins ? x[index] : 0f;
                    mask[index] = wins ? 1f : 0f;
                }
            }
        });
    }

    /** {@code boost[f] = exp(strength * (density - dutyCycle[f]))}, in double, rounded once. */
    static void boostFactors(float[] dutyCycle, float density, float strength, float[] boost) {
        for (int f = 0; f < dutyCycle.length; f++) {
            boost[f] = (float) Math.exp((double) strength * ((double) density - dutyCycle[f]));
        }
    }

    /** The {@code rank}-th smallest (0-based) of distinct {@code keys}; reorders them. */
    static long select(long[] keys, int rank) {
        int low = 0;
        int high = keys.length - 1;
        int budget = 2 * (32 - Integer.numberOfLeadingZeros(keys.length)) + 8;
        while (high > low) {
            if (budget-- == 0) {
                java.util.Arrays.sort(keys, low, high + 1);
                return keys[rank];
            }
            int middle = (low + high) >>> 1;
            long pivot = medianOfThree(keys[low], keys[middle], keys[high]);
            int i = low;
            int j = high;
            while (i <= j) {
                while (keys[i] < pivot) {
                    i++;
                }
                while (keys[j] > pivot) {
                    j--;
                }
                if (i <= j) {
                    long swap = keys[i];
                    keys[i] = keys[j];
                    keys[j] = swap;
                    i++;
                    j--;
                }
            }
            if (rank <= j) {
                high = j;
            } else if (rank >= i) {
                low = i;
            } else {
                return keys[rank];
            }
        }
        return keys[rank];
    }

    private static long medianOfThree(long a, long b, long c) {
        return Math.max(Math.min(a, b), Math.min(Math.max(a, b), c));
    }
}
