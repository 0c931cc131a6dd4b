package org.sparselinear.backend.cpu;

/**
 * Runs a row-wise product over a compressed pattern in parallel, split by stored entries
 * ({@link NnzPartition}): each part writes the rows it owns directly and sums the entries that
 * open its range (the tail of an earlier part's row) into a private buffer, added to that row once
 * every part has finished, so no two threads write one output.
 */
final class PartitionedRows {

    /** The product of one output row from the entries {@code [start, end)}. */
    @FunctionalInterface
    interface RowProduct {
        /** {@code out[offset : offset + batch] (+)= the sum over entries [start, end)}. */
        void row(int start, int end, float[] out, int offset, boolean accumulate);
    }

    private final WorkerPool pool;

    PartitionedRows(WorkerPool pool) {
        this.pool = pool;
    }

    /**
     * {@code out[r, :] (+)= product(row r)} for every row of the pattern given by {@code pointers}
     * and its {@code partition}; one thread when the work is too small to split.
     */
    void run(NnzPartition partition, int[] pointers, int batch, float[] out, boolean accumulate, RowProduct product) {
        int rows = pointers.length - 1;
        int parts = pool.partsFor((long) pointers[rows] * batch, partition.parts()) < partition.parts()
                ? 1
                : partition.parts();
        if (parts == 1) {
            for (int r = 0; r < rows; r++) {
                product.row(pointers[r], pointers[r + 1], out, r * batch, accumulate);
            }
            return;
        }
        float[] tails = new float[parts * batch];
        pool.run(parts, p -> {
            for (int r = partition.firstRow(p); r < partition.endRow(p); r++) {
                product.row(pointers[r], Math.min(pointers[r + 1], partition.entryEnd(p)), out, r * batch, accumulate);
            }
            if (partition.tailRow(p) >= 0) {
                product.row(partition.entryStart(p), partition.tailEnd(p), tails, p * batch, false);
            }
        });
        for (int p = 0; p < parts; p++) {
            int row = partition.tailRow(p);
            if (row >= 0) {
                for (int b = 0; b < batch; b++) {
                    out[row * batch + b] += tails[p * batch + b];
                }
            }
        }
    }
}
