package org.sparselinear.backend.cpu;

import java.util.Arrays;
import java.util.function.Supplier;

/**
 * The sparse products on feature-major data (batch index fastest). With {@code B} the batch:
 * <ul>
 * <li>forward {@code Y = X W^T}: for each output row {@code o} and stored {@code (o, i, w)},
 * {@code Yt[o, 0:B] += w * Xt[i, 0:B]}, a contiguous axpy the JIT vectorises;</li>
 * <li>input gradient {@code dX = dY W}: the same kernel over the CSC form, reading values
 * through the transpose map;</li>
 * <li>weight gradient (SDDMM): {@code dW[k] = dot(dYt[o_k, 0:B], Xt[i_k, 0:B])}.</li>
 * </ul>
 * Work is split by stored entries ({@link NnzPartition}), not by rows.
 */
final class SparseKernels {

    private final WorkerPool pool;
    private final RowKernels rows;

    SparseKernels(WorkerPool pool, RowKernels rows) {
        this.pool = pool;
        this.rows = rows;
    }

    /**
     * {@code y = x W^T}. A batch of one sums each segment of a row with {@link RowKernels#gatherDot}
     * straight from the compact indices; larger batches decode a row's columns into a scratch
     * buffer (its cost is shared by the whole batch) and gather with {@link RowKernels#gatherRow}.
     */
    void spmm(CpuSparseMatrix w, float[] values, float[] x, float[] y, int batch) {
        CompactColumns columns = w.columns;
        gatherRows(w.rowPartition, w.rowPointers, y, batch, false, () -> {
            int[] scratch = new int[batch == 1 ? RowKernels.SCRATCH_LENGTH : columns.longestRow];
            return (row, start, end, out, offset, accumulate) -> {
                if (batch == 1) {
                    float sum = accumulate ? out[offset] : 0f;
                    for (int s = columns.firstSegment(row), last = columns.endSegment(row); s < last; s++) {
                        int from = columns.segmentStart(s, start);
                        int to = columns.segmentEnd(s, end);
                        if (from < to) {
                            sum += rows.gatherDot(from, to, columns.low, columns.base(s), values, x, scratch);
                        }
                    }
                    out[offset] = sum;
                } else {
                    for (int s = columns.firstSegment(row), last = columns.endSegment(row); s < last; s++) {
                        int from = columns.segmentStart(s, start);
                        int to = columns.segmentEnd(s, end);
                        if (from < to) {
                            rows.widen(columns.low, from, to, columns.base(s), scratch, from - start);
                        }
                    }
                    rows.gatherRow(start, end, scratch, start, null, values, x, batch, out, offset, accumulate);
                }
            };
        });
    }

    /**
     * {@code dx (+)= dy W}. Small batches scatter along the CSR rows into a private {@code dx}
     * per part (values and indices stream in order; the output stays in cache), then sum the
     * parts; larger batches gather along the CSC columns, reading values through the transpose map.
     */
    void spmmTransposed(CpuSparseMatrix w, float[] values, float[] dy, float[] dx, int batch, boolean accumulate) {
        if (batch < SCATTER_BELOW_BATCH) {
            scatterRows(w, values, dy, dx, batch, accumulate, null, null, false);
        } else {
            ColumnForm columns = w.columnForm();
            RowGather gather = (column, start, end, out, offset, add) -> rows.gatherRow(
                    start, end, columns.rowIndices, 0, columns.valuePositions, values, dy, batch, out, offset, add);
            gatherRows(columns.partition, columns.columnPointers, dx, batch, accumulate, () -> gather);
        }
    }

    /** Batches below this use the scatter form of the input gradient. */
    static final int SCATTER_BELOW_BATCH = 8;

    /**
     * Both gradients of a layer in one pass over the CSR entries, for small batches: the scatter
     * form of {@code dx (+)= dy W} and, when {@code x} is given, the weight gradient
     * {@code dValues[k] (+)= dot(dy[row(k), :], x[column(k), :])}, so that the column indices
     * and values are read once for both.
     */
    void backwardFused(
            CpuSparseMatrix w,
            float[] values,
            float[] dy,
            float[] x,
            float[] dx,
            float[] dValues,
            int batch,
            boolean accumulateDx,
            boolean accumulateDValues) {
        scatterRows(w, values, dy, dx, batch, accumulateDx, x, dValues, accumulateDValues);
    }

    private void scatterRows(
            CpuSparseMatrix w,
            float[] values,
            float[] dy,
            float[] dx,
            int batch,
            boolean accumulate,
            float[] x,
            float[] dValues,
            boolean accumulateDValues) {
        int[] pointers = w.rowPointers;
        CompactColumns columns = w.columns;
        char[] low = columns.low;
        int parts = pool.partsFor((long) w.nnz() * batch, w.rowPartition.parts());
        float[][] partials = new float[parts][];
        if (!accumulate) {
            Arrays.fill(dx, 0f);
        }
        pool.run(parts, p -> {
            float[] out = p == 0 ? dx : new float[dx.length];
            int[] scratch = new int[RowKernels.SCRATCH_LENGTH];
            long nnz = w.nnz();
            int start = (int) (nnz * p / parts);
            int end = (int) (nnz * (p + 1) / parts);
            int k = start;
            for (int row = upperBound(pointers, start) - 1; k < end; row++) {
                int rowEnd = Math.min(pointers[row + 1], end);
                int dyOffset = row * batch;
                if (batch == 1) {
                    for (int s = columns.firstSegment(row), last = columns.endSegment(row); s < last; s++) {
                        int from = columns.segmentStart(s, k);
                        int to = columns.segmentEnd(s, rowEnd);
                        if (from < to) {
                            rows.scatterRow(
                                    from,
                                    to,
                                    low,
                                    columns.base(s),
                                    values,
                                    dy[row],
                                    out,
                                    x,
                                    dValues,
                                    accumulateDValues,
                                    scratch);
                        }
                    }
                    k = rowEnd;
                    continue;
                }
                for (int s = columns.firstSegment(row), last = columns.endSegment(row); s < last; s++) {
                    int base = columns.base(s);
                    for (int e = columns.segmentStart(s, k), to = columns.segmentEnd(s, rowEnd); e < to; e++) {
                        float v = values[e];
                        int target = (base + low[e]) * batch;
                        for (int b = 0; b < batch; b++) {
                            out[target + b] += v * dy[dyOffset + b];
                        }
                        if (x != null) {
                            float g = rows.dot(dy, dyOffset, x, target, batch);
                            dValues[e] = accumulateDValues ? dValues[e] + g : g;
                        }
                    }
                }
                k = rowEnd;
            }
            partials[p] = out;
        });
        for (int p = 1; p < parts; p++) {
            float[] partial = partials[p];
            pool.forRange(dx.length, parts, (from, to) -> {
                for (int i = from; i < to; i++) {
                    dx[i] += partial[i];
                }
            });
        }
    }

    /**
     * For every output row {@code r} of a compressed pattern, {@code out[r, :] (+)=} what
     * {@code gather} sums over its entries, each part of the partition on its own thread, with a
     * gather of its own ({@code gathers} gives each part one, with its scratch buffers).
     */
    private void gatherRows(
            NnzPartition partition,
            int[] pointers,
            float[] out,
            int batch,
            boolean accumulate,
            Supplier<RowGather> gathers) {
        int parts = pool.partsFor((long) pointers[pointers.length - 1] * batch, partition.parts()) < partition.parts()
                ? 1
                : partition.parts();
        if (parts == 1) {
            RowGather gather = gathers.get();
            for (int r = 0; r < pointers.length - 1; r++) {
                gather.gather(r, pointers[r], pointers[r + 1], out, r * batch, accumulate);
            }
            return;
        }
        float[] tails = new float[parts * batch];
        pool.run(parts, p -> {
            RowGather gather = gathers.get();
            for (int r = partition.firstRow(p); r < partition.endRow(p); r++) {
                int end = Math.min(pointers[r + 1], partition.entryEnd(p));
                gather.gather(r, pointers[r], end, out, r * batch, accumulate);
            }
            int tailRow = partition.tailRow(p);
            if (tailRow >= 0) {
                gather.gather(tailRow, partition.entryStart(p), partition.tailEnd(p), tails, p * batch, false);
            }
        });
        for (int p = 0; p < parts; p++) {
            int row = partition.tailRow(p);
            if (row >= 0) {
                int target = row * batch;
                int source = p * batch;
                for (int b = 0; b < batch; b++) {
                    out[target + b] += tails[source + b];
                }
            }
        }
    }

    /** Sums the entries {@code [start, end)} of one row of a pattern into {@code out[offset : offset + batch]}. */
    @FunctionalInterface
    private interface RowGather {
        void gather(int row, int start, int end, float[] out, int offset, boolean accumulate);
    }

    /** {@code dValues[k] (+)= dot(dy[row(k), :], x[column(k), :])}, row by row within each nnz range. */
    void sddmm(CpuSparseMatrix w, float[] dy, float[] x, float[] dValues, int batch, boolean accumulate) {
        int[] pointers = w.rowPointers;
        CompactColumns columns = w.columns;
        char[] low = columns.low;
        pool.forRange(w.nnz(), batch, (start, end) -> {
            int k = start;
            for (int row = upperBound(pointers, start) - 1; k < end; row++) {
                int rowEnd = Math.min(pointers[row + 1], end);
                int dyOffset = row * batch;
                for (int s = columns.firstSegment(row), last = columns.endSegment(row); s < last; s++) {
                    int base = columns.base(s);
                    for (int e = columns.segmentStart(s, k), to = columns.segmentEnd(s, rowEnd); e < to; e++) {
                        int column = base + low[e];
                        float product = batch == 1
                                ? dy[dyOffset] * x[column]
                                : rows.dot(dy, dyOffset, x, column * batch, batch);
                        dValues[e] = accumulate ? dValues[e] + product : product;
                    }
                }
                k = rowEnd;
            }
        });
    }

    /** The first index {@code r} with {@code pointers[r] > value}. */
    private static int upperBound(int[] pointers, int value) {
        int low = 0;
        int high = pointers.length;
        while (low < high) {
            int mid = (low + high) >>> 1;
            if (pointers[mid] <= value) {
                low = mid + 1;
            } else {
                high = mid;
            }
        }
        return low;
    }
}
