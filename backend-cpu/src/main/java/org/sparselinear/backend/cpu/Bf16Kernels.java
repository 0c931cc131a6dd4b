package org.sparselinear.backend.cpu;

import org.sparselinear.spi.Bfloat16;

/**
 * The CPU backend's bfloat16 inference kernels: rounding float32 values to bfloat16
 * ({@link Bfloat16}) and the forward product {@code Y = X W^T} over them, split by stored entries
 * like the float32 product ({@link PartitionedRows}) and summed in float32 by
 * {@link Bf16RowKernels}. Reading 2 bytes per value instead of 4 is what speeds up the
 * memory-bound forward pass at small batches.
 */
final class Bf16Kernels {

    private final WorkerPool pool;
    private final PartitionedRows partitioned;
    private final Bf16RowKernels rows;

    Bf16Kernels(WorkerPool pool, boolean useVectorApi) {
        this.pool = pool;
        this.partitioned = new PartitionedRows(pool);
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

    /** {@code y = x W^T}, feature-major, with the weight's values in bfloat16. */
    void spmm(CpuSparseMatrix w, short[] values, float[] x, float[] y, int batch) {
        int[] columns = w.columnIndices;
        partitioned.run(
                w.rowPartition,
                w.rowPointers,
                batch,
                y,
                false,
                (start, end, out, offset, accumulate) ->
                        rows.gatherRow(start, end, columns, values, x, batch, out, offset, accumulate));
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
