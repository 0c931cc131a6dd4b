package org.sparselinear.backend.cpu;

import org.sparselinear.spi.RunningTopK;

/**
 * The rewiring kernels on feature-major data: RigL's top-k of the dense weight gradient outside
 * the pattern, and the gather that carries values into a new pattern's order.
 *
 * <p>Top-k: {@code x} is first copied to row-major ({@code x[b, 0:in]} contiguous). The output
 * rows are split among the threads (equal shares of rows, each row costing the same
 * {@code batch * in}); a thread computes its rows one tile of {@value #TILE} columns at a time,
 * {@code g[o, tile] = sum_b dy[b, o] * x[b, tile]} as {@code batch} contiguous axpys into a
 * buffer that stays in L1, skips the tile's connected columns with a merge walk along the row's
 * sorted pattern, and offers the rest to its own {@link RunningTopK}; the threads' selections are
 * merged at the end. Memory: one tile per thread, the row-major copy of {@code x} and O(k) per
 * thread; the {@code out x in} gradient never exists.
 */
final class RewiringKernels {

    /** Columns of the gradient computed at once per thread (8 KiB of floats). */
    static final int TILE = 2048;

    private final WorkerPool pool;

    RewiringKernels(WorkerPool pool) {
        this.pool = pool;
    }

    long[] topKAbsDenseGradient(float[] dy, float[] x, int batch, CpuSparseMatrix exclude, int k) {
        int out = exclude.rows();
        int in = exclude.columns();
        int capacity = (int) Math.min(k, (long) out * in - exclude.nnz());
        if (capacity == 0) {
            return new long[0];
        }
        float[] rowMajorX = new float[batch * in];
        pool.forRange(in, batch, (start, end) -> {
            for (int i = start; i < end; i++) {
                for (int b = 0; b < batch; b++) {
                    rowMajorX[b * in + i] = x[i * batch + b];
                }
            }
        });
        int parts = pool.partsFor((long) out * in * batch, out);
        RunningTopK[] selections = new RunningTopK[parts];
        int[] pointers = exclude.rowPointers;
        CompactColumns compact = exclude.columns;
        pool.run(parts, p -> {
            RunningTopK best = new RunningTopK(capacity);
            int[] columns = new int[compact.longestRow];
            float[] tile = new float[Math.min(TILE, in)];
            int firstRow = (int) ((long) out * p / parts);
            int endRow = (int) ((long) out * (p + 1) / parts);
            int threshold = Integer.MIN_VALUE;
            for (int o = firstRow; o < endRow; o++) {
                int next = 0;
                int rowEnd = pointers[o + 1] - pointers[o];
                compact.decode(o, pointers[o], pointers[o + 1], columns);
                long rowPosition = (long) o * in;
                for (int tileStart = 0; tileStart < in; tileStart += TILE) {
                    int width = Math.min(TILE, in - tileStart);
                    java.util.Arrays.fill(tile, 0, width, 0f);
                    for (int b = 0; b < batch; b++) {
                        float d = dy[o * batch + b];
                        if (d == 0f) {
                            continue;
                        }
                        int offset = b * in + tileStart;
                        for (int i = 0; i < width; i++) {
                            tile[i] += d * rowMajorX[offset + i];
                        }
                    }
                    for (int i = 0; i < width; i++) {
                        int column = tileStart + i;
                        if (next < rowEnd && columns[next] == column) {
                            next++;
                            continue;
                        }
                        int rank = RunningTopK.rankOfMagnitude(tile[i]);
                        // Positions rise within a thread, so a tie with the worst kept one never wins.
                        if (rank > threshold || best.size() < capacity) {
                            best.offerRanked(rank, rowPosition + column);
                            threshold = best.thresholdRank();
                        }
                    }
                }
            }
            selections[p] = best;
        });
        RunningTopK merged = selections[0];
        for (int p = 1; p < parts; p++) {
            merged.addAll(selections[p]);
        }
        return merged.drainBestFirst();
    }

    /** {@code target[j] = positions[j] >= 0 ? source[positions[j]] : 0}. */
    void gather(float[] source, int[] positions, float[] target) {
        pool.forRange(target.length, 1, (start, end) -> {
            for (int j = start; j < end; j++) {
                int from = positions[j];
                target[j] = from >= 0 ? source[from] : 0f;
            }
        });
    }
}
