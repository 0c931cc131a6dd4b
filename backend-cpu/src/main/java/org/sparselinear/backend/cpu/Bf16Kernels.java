package org.sparselinear.backend.cpu;

import org.sparselinear.spi.Bfloat16;

/**
 * The CPU backend's bfloat16 inference kernels: rounding float32 values to bfloat16
 * ({@link Bfloat16}) and the forward product {@code Y = X W^T} over them, split by stored entries
 * with the float32 product's partitioned loop ({@link SparseKernels#gatherRows}) and summed in
 * float32 by {@link Bf16RowKernels}. Reading 2 bytes per value instead of 4 (and 2 per column
 * index, {@link CompactColumns}) is what speeds up the memory-bound forward pass at small batches.
 */
final class Bf16Kernels {

    private final WorkerPool pool;
    private final SparseKernels sparse;
    private final Bf16RowKernels rows;

    Bf16Kernels(WorkerPool pool, SparseKernels sparse, boolean useVectorApi) {
        this.pool = pool;
        this.sparse = sparse;
        this.rows = useVectorApi ? vectorRows() : new ScalarBf16RowKernels();
    }

    /** The values rounded to bfloat16 (to nearest, ties to even). */
    short[] toBf16(float[] values) {
        short[] bits = new short[values.length];
        pool.forRange(values.length, 1, (start, end) -> {
            for (int i = start; i < end; i++) {
                bits[i] = Bfloat16.fromFloat(values[i]);
            }
        });
        return bits;
    }

    /** The float32 value of each bfloat16 value, into {@code target}. */
    void fromBf16(short[] bits, float[] target) {
        pool.forRange(bits.length, 1, (start, end) -> {
            for (int i = start; i < end; i++) {
                target[i] = Bfloat16.toFloat(bits[i]);
            }
        });
    }

    /**
     * {@code y = x W^T}, feature-major, with the weight's values in bfloat16. A batch of one sums
     * each segment of a row straight from the compact indices; larger batches decode a row's
     * columns into a scratch buffer once for the whole batch, as the float32 product does.
     */
    void spmm(CpuSparseMatrix w, short[] values, float[] x, float[] y, int batch) {
        CompactColumns columns = w.columns;
        sparse.gatherRows(w.rowPartition, w.rowPointers, y, batch, false, () -> {
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
                    columns.decode(row, start, end, scratch);
                    rows.gatherRow(start, end, scratch, start, values, x, batch, out, offset, accumulate);
                }
            };
        });
    }

    /** The Vector API loops, loaded by name so that a JVM without the module never links them. */
    private static Bf16RowKernels vectorRows() {
        try {
            return (Bf16RowKernels) Class.forName(Bf16Kernels.class.getPackageName() + ".VectorBf16RowKernels")
                    .getDeclaredConstructor()
                    .newInstance();
        } catch (ReflectiveOperationException | LinkageError e) {
            return new ScalarBf16RowKernels();
        }
    }
}
