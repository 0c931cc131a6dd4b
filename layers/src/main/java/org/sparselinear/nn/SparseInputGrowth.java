package org.sparselinear.nn;

import java.util.Arrays;
import org.sparselinear.api.Backend;
import org.sparselinear.api.Connectivity;
import org.sparselinear.api.DenseMatrix;
import org.sparselinear.api.SparseTensor;
import org.sparselinear.spi.RankSelection;
import org.sparselinear.spi.RunningTopK;
import org.sparselinear.spi.TransposeMap;

/**
 * RigL's grow step (Evci et al. 2020) for a layer fed a sparse batch: the same selection as
 * {@link Backend#topKAbsDenseGradient}, the {@code k} unconnected positions {@code (o, i)} with
 * the largest {@code |sum_b dy[b, o] * x[b, i]|}, computed from the batch's stored entries
 * without densifying it.
 *
 * <p>Only the features present in the batch have a non-zero gradient, so the work is
 * {@code out} times the stored entries; every other unconnected position has a gradient of
 * exactly zero and is taken, in row-major order, only while the selection still has room for
 * zeros. The selection is partial ({@link RankSelection}): a linear pass finds the k-th best
 * magnitude and only the candidates at or above it are sorted, where a heap of k or a full sort
 * would cost a logarithmic factor (RigL asks for up to 15 % of the connections at its first
 * steps). It runs on the host, once per rewiring step: it downloads {@code dy} {@code (B, out)} and the batch's values, which are small
 * next to the layer.
 */
final class SparseInputGrowth {

    private SparseInputGrowth() {}

    /** The grow candidates as a {@code (2, m)} array (rows, then columns), best first; see the class comment. */
    static int[][] topKAbsGradient(Backend backend, DenseMatrix dy, SparseTensor x, Connectivity connected, int k) {
        int in = connected.columns();
        PresentCandidates present = PresentCandidates.of(backend, dy, x, connected);
        int m = (int) Math.min(k, (long) connected.rows() * in - connected.nnz());
        long[] positions = new long[m];
        int next = present.bestNumbers(Math.min(m, present.numberCount), positions);
        next = present.inRowMajorOrder(ZERO_RANK, connected, positions, next);
        present.inRowMajorOrder(NAN_RANK, connected, positions, next);
        int[] rows = new int[m];
        int[] cols = new int[m];
        for (int j = 0; j < m; j++) {
            rows[j] = (int) (positions[j] / in);
            cols[j] = (int) (positions[j] % in);
        }
        return new int[][] {rows, cols};
    }

    private static final int ZERO_RANK = RunningTopK.rank(0f);
    private static final int NAN_RANK = RunningTopK.rank(Float.NaN);

    /**
     * The unconnected positions {@code (o, i)} of the features {@code i} present in the batch, with
     * the {@link RunningTopK#rank rank} of their gradient's magnitude: the only candidates that
     * can have a non-zero gradient. Listed feature by feature, outputs ascending.
     */
    private static final class PresentCandidates {

        final int[] ranks;
        /** Row-major positions {@code o * in + i}. */
        final long[] positions;
        /** Candidates whose gradient is a non-zero number (neither zero nor NaN). */
        final int numberCount;
        /** Where the candidates of feature {@code i} begin, or -1 for a feature absent from the batch. */
        final int[] firstOfFeature;
        /** Candidates whose gradient is NaN. */
        final int nanCount;

        private PresentCandidates(int[] ranks, long[] positions, int[] firstOfFeature) {
            this.ranks = ranks;
            this.positions = positions;
            this.firstOfFeature = firstOfFeature;
            int numbers = 0;
            int nans = 0;
            for (int rank : ranks) {
                if (rank > ZERO_RANK) {
                    numbers++;
                } else if (rank == NAN_RANK) {
                    nans++;
                }
            }
            this.numberCount = numbers;
            this.nanCount = nans;
        }

        static PresentCandidates of(Backend backend, DenseMatrix dy, SparseTensor x, Connectivity connected) {
            int out = connected.rows();
            int in = connected.columns();
            float[] gradients = backend.download(dy);
            float[] values = backend.download(x.values());
            TransposeMap inputColumns = x.pattern().connectivity().transposeMap();
            int[] columnPointers = inputColumns.columnPointers();
            int[] slotOf = new int[in];
            int present = 0;
            for (int i = 0; i < in; i++) {
                slotOf[i] = columnPointers[i] < columnPointers[i + 1] ? present++ : -1;
            }
            boolean[] isConnected = connectedOfPresent(connected, slotOf, present);
            int[] firstOfFeature = new int[in];
            long count = 0;
            for (int i = 0; i < in; i++) {
                firstOfFeature[i] = slotOf[i] < 0 ? -1 : (int) Math.min(count, Integer.MAX_VALUE);
                if (slotOf[i] >= 0) {
                    for (int o = 0, base = slotOf[i] * out; o < out; o++) {
                        count += isConnected[base + o] ? 0 : 1;
                    }
                }
            }
            if (count > Integer.MAX_VALUE - 8) {
                throw new IllegalStateException("the batch's features have " + count + " unconnected positions, more "
                        + "than one array holds; grow from smaller batches");
            }
            int[] ranks = new int[(int) count];
            long[] positions = new long[(int) count];
            int next = 0;
            for (int i = 0; i < in; i++) {
                if (slotOf[i] < 0) {
                    continue;
                }
                int start = columnPointers[i];
                int end = columnPointers[i + 1];
                int base = slotOf[i] * out;
                for (int o = 0; o < out; o++) {
                    if (isConnected[base + o]) {
                        continue;
                    }
                    float sum = 0f;
                    for (int e = start; e < end; e++) {
                        sum += gradients[inputColumns.rowIndices()[e] * out + o]
                                * values[inputColumns.valuePositions()[e]];
                    }
                    ranks[next] = RunningTopK.rankOfMagnitude(sum);
                    positions[next++] = (long) o * in + i;
                }
            }
            return new PresentCandidates(ranks, positions, firstOfFeature);
        }

        /**
         * Whether {@code (o, i)} is connected, for the {@code present} features with a slot, at
         * {@code slotOf[i] * out + o}: one pass over the weight's rows, where its transpose map
         * would cost a sort of all its connections.
         */
        private static boolean[] connectedOfPresent(Connectivity connected, int[] slotOf, int present) {
            int out = connected.rows();
            if ((long) present * out > Integer.MAX_VALUE - 8) {
                throw new IllegalStateException(present + " features present in a batch times " + out
                        + " outputs are more positions than one array holds; grow from smaller batches");
            }
            boolean[] isConnected = new boolean[present * out];
            for (int o = 0; o < out; o++) {
                for (int k = connected.rowStart(o); k < connected.rowStart(o + 1); k++) {
                    int slot = slotOf[connected.column(k)];
                    if (slot >= 0) {
                        isConnected[slot * out + o] = true;
                    }
                }
            }
            return isConnected;
        }

        /**
         * Writes the {@code count <= numberCount} candidates of largest magnitude into
         * {@code best[0, count)}, best first (ties by position), and returns {@code count}: the
         * {@code count}-th largest rank by a linear-time selection, then a radix sort of only the
         * candidates at or above it by magnitude ({@link RankSelection#byDescendingRank}), and a
         * sort of each run of equal magnitudes by position.
         */
        int bestNumbers(int count, long[] best) {
            if (count == 0) {
                return 0;
            }
            int threshold = RankSelection.kthLargest(ranks, ranks.length, count);
            int kept = 0;
            for (int rank : ranks) {
                if (rank >= threshold) {
                    kept++;
                }
            }
            int[] candidates = new int[kept];
            for (int j = 0, next = 0; next < kept; j++) {
                if (ranks[j] >= threshold) {
                    candidates[next++] = j;
                }
            }
            int[] byRank = RankSelection.byDescendingRank(ranks, candidates);
            for (int start = 0; start < count; ) {
                int end = start + 1;
                while (end < kept && ranks[byRank[end]] == ranks[byRank[start]]) {
                    end++;
                }
                // A run that ends past count keeps its lowest positions: sorted aside, then cut.
                long[] run = end <= count ? best : new long[end - start];
                int offset = run == best ? start : 0;
                for (int j = start; j < end; j++) {
                    run[j - start + offset] = positions[byRank[j]];
                }
                Arrays.sort(run, offset, offset + end - start);
                if (run != best) {
                    System.arraycopy(run, 0, best, start, count - start);
                }
                start = end;
            }
            return count;
        }

        /**
         * Fills {@code best[next, best.length)} with the unconnected positions whose gradient has
         * rank {@code rank} (zero: also every position of an absent feature; or NaN), walking the
         * weight row by row, and returns where the filled part ends. Stops as soon as
         * {@code best} is full, so zeros cost about the positions taken.
         */
        int inRowMajorOrder(int rank, Connectivity connected, long[] best, int next) {
            if (next == best.length || (rank == NAN_RANK && nanCount == 0)) {
                return next;
            }
            int in = connected.columns();
            int[] cursor = firstOfFeature.clone();
            for (int o = 0; o < connected.rows(); o++) {
                int nextConnected = connected.rowStart(o);
                int end = connected.rowStart(o + 1);
                for (int i = 0; i < in; i++) {
                    if (nextConnected < end && connected.column(nextConnected) == i) {
                        nextConnected++;
                        continue;
                    }
                    int candidateRank = cursor[i] < 0 ? ZERO_RANK : ranks[cursor[i]++];
                    if (candidateRank == rank) {
                        best[next++] = (long) o * in + i;
                        if (next == best.length) {
                            return next;
                        }
                    }
                }
            }
            return next;
        }
    }
}
