package org.sparselinear.backend.cpu;

import java.util.Arrays;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.function.Supplier;

/**
 * The sparse products on feature-major data (batch index fastest). With {@code B} the batch:
 * <ul>
 * <li>forward {@code Y = X W^T}: for each output row {@code o} and stored {@code (o, i, w)},
 * {@code Yt[o, 0:B] += w * Xt[i, 0:B]}, a contiguous axpy the JIT vectorises;</li>
 * <li>input gradient {@code dX = dY W}: {@code dXt[i, 0:B] += w * dYt[o, 0:B]} scattered along
 * the CSR rows into a buffer per thread, or, where those buffers would be too large, the forward
 * kernel over the CSC form, reading values through the transpose map;</li>
 * <li>weight gradient (SDDMM): {@code dW[k] = dot(dYt[o_k, 0:B], Xt[i_k, 0:B])}.</li>
 * </ul>
 * Work is split by stored entries ({@link NnzPartition}), not by rows.
 */
final class SparseKernels {

    /** Private input-gradient buffers up to this size are always allowed ({@link #scatters}). */
    static final long SCATTER_BUFFER_FLOOR = 16L << 20;

    private final WorkerPool pool;
    private final RowKernels rows;
    private final long scatterBufferFloor;
    /** Zeroed per-part input-gradient buffers kept between calls ({@link #zeroedBuffer}). */
    private final ConcurrentLinkedQueue<float[]> spareBuffers = new ConcurrentLinkedQueue<>();

    SparseKernels(WorkerPool pool, RowKernels rows) {
        this(pool, rows, SCATTER_BUFFER_FLOOR);
    }

    /** Kernels whose private input-gradient buffers may always take {@code scatterBufferFloor} bytes. */
    SparseKernels(WorkerPool pool, RowKernels rows, long scatterBufferFloor) {
        this.pool = pool;
        this.rows = rows;
        this.scatterBufferFloor = scatterBufferFloor;
    }

    /**
     * {@code y = x W^T}. A batch of one sums each segment of a row with {@link RowKernels#gatherDot}
     * straight from the compact indices; larger batches sum each segment with
     * {@link RowKernels#gatherSegment}, also straight from the compact indices.
     */
    void spmm(CpuSparseMatrix w, float[] values, float[] x, float[] y, int batch) {
        CompactColumns columns = w.columns;
        gatherRows(w.rowPartition, w.rowPointers, y, batch, false, () -> {
            int[] scratch = batch == 1 ? new int[RowKernels.SCRATCH_LENGTH] : null;
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
                    return;
                }
                if (!accumulate) {
                    Arrays.fill(out, offset, offset + batch, 0f);
                }
                for (int s = columns.firstSegment(row), last = columns.endSegment(row); s < last; s++) {
                    int from = columns.segmentStart(s, start);
                    int to = columns.segmentEnd(s, end);
                    if (from < to) {
                        rows.gatherSegment(from, to, columns.low, columns.base(s), values, x, batch, out, offset);
                    }
                }
            };
        });
    }

    /**
     * {@code dx (+)= dy W}, scattered along the CSR rows into a private {@code dx} per part
     * (values and indices stream in order, each row of {@code dy} is read once), the parts then
     * summed; where those private buffers would be too large ({@link #scatters}), gathered along
     * the CSC columns instead, reading values through the transpose map.
     */
    void spmmTransposed(CpuSparseMatrix w, float[] values, float[] dy, float[] dx, int batch, boolean accumulate) {
        if (scatters(w, batch)) {
            scatterRows(w, values, dy, dx, batch, accumulate, null, null, false);
        } else {
            ColumnForm columns = w.columnForm();
            RowGather gather = (column, start, end, out, offset, add) -> rows.gatherRow(
                    start, end, columns.rowIndices, 0, columns.valuePositions, values, dy, batch, out, offset, add);
            gatherRows(columns.partition, columns.columnPointers, dx, batch, accumulate, () -> gather);
        }
    }

    /** Batches below this always use the scatter form of the input gradient. */
    static final int SCATTER_BELOW_BATCH = 8;

    /**
     * Whether the input gradient of {@code w} at {@code batch} takes the scatter form: always below
     * {@value #SCATTER_BELOW_BATCH} samples, otherwise when the private {@code dx} buffers of the
     * extra threads take at most {@value #SCATTER_BUFFER_FLOOR} bytes (by default) or no more
     * memory than the CSC form the gather would build ({@link ColumnForm#bytes}), so that a huge
     * layer at a large batch does not hold its input gradient once more per thread.
     */
    boolean scatters(CpuSparseMatrix w, int batch) {
        long privateBytes = 4L * (pool.threads() - 1) * w.columns() * batch;
        return batch < SCATTER_BELOW_BATCH
                || privateBytes <= Math.max(scatterBufferFloor, ColumnForm.bytes(w.columns(), w.nnz()));
    }

    /**
     * Both gradients of a layer in one pass over the CSR entries, for batches below
     * {@value #SCATTER_BELOW_BATCH}: the scatter form of {@code dx (+)= dy W} and, when {@code x} is given,
     * the weight gradient {@code dValues[k] (+)= dot(dy[row(k), :], x[column(k), :])}, so that
     * the column indices, the values and each row of {@code dy} are read once for both.
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
            float[] out = p == 0 ? dx : zeroedBuffer(dx.length);
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
                                    accumulateDValues);
                        }
                    }
                    k = rowEnd;
                    continue;
                }
                for (int s = columns.firstSegment(row), last = columns.endSegment(row); s < last; s++) {
                    int from = columns.segmentStart(s, k);
                    int to = columns.segmentEnd(s, rowEnd);
                    if (from < to) {
                        if (x != null) {
                            rows.dotSegment(
                                    from, to, low, columns.base(s), dy, dyOffset, x, batch, dValues, accumulateDValues);
                        }
                        rows.scatterSegment(from, to, low, columns.base(s), values, dy, dyOffset, batch, out);
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
                    partial[i] = 0f;
                }
            });
            spareBuffers.add(partial);
        }
    }

    /**
     * A zeroed buffer of at least {@code length} floats for the input gradient of one part: a
     * spare one when there is one large enough, else a new one. Buffers go back zeroed (the sum
     * of the parts clears them as it reads them), so that a layer's backward neither allocates
     * its input gradient again per thread and call (a humongous object to G1 for the large
     * layers, and a collection every few steps) nor clears it once more.
     */
    private float[] zeroedBuffer(int length) {
        float[] spare = spareBuffers.poll();
        return spare != null && spare.length >= length ? spare : new float[length];
    }

    /**
     * For every output row {@code r} of a compressed pattern, {@code out[r, :] (+)=} what
     * {@code gather} sums over its entries, each part of the partition on its own thread, with a
     * gather of its own ({@code gathers} gives each part one, with its scratch buffers). Shared
     * with {@link Bf16Kernels}.
     */
    void gatherRows(
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
    interface RowGather {
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
                    int from = columns.segmentStart(s, k);
                    int to = columns.segmentEnd(s, rowEnd);
                    if (batch == 1) {
                        for (int e = from; e < to; e++) {
                            float product = dy[dyOffset] * x[base + low[e]];
                            dValues[e] = accumulate ? dValues[e] + product : product;
                        }
                    } else if (from < to) {
                        rows.dotSegment(from, to, low, base, dy, dyOffset, x, batch, dValues, accumulate);
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
