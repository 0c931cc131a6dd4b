package org.sparselinear.backend.cpu;

import java.util.Arrays;

/**
 * The connections of a sparse weight {@code W} that meet a sparse input batch {@code X}: those of
 * the features present in the batch, in W's column order ({@link ColumnForm}) restricted to the
 * batch's present features, numbered {@code 0 .. count()} so that the connections of the
 * {@code f}-th present feature are {@code [offsets[f], offsets[f + 1])}.
 *
 * <p>W's values are stored in its row order, so the values of one feature lie scattered across
 * the layer. Reading them where the product needs them puts a cache miss inside every step of
 * the product's loops, where the processor overlaps few of them; {@link #gather} instead reads
 * them all in one tight loop of independent loads, which the processor overlaps by the dozen,
 * into a contiguous array the products then read in order. {@link #scatterAdd} does the same for
 * a weight gradient on the way back.
 */
final class PresentConnections {

    private final ColumnForm input;
    private final ColumnForm weight;
    private final int[] offsets;

    private PresentConnections(ColumnForm input, ColumnForm weight) {
        this.input = input;
        this.weight = weight;
        int[] present = input.nonEmptyColumns;
        this.offsets = new int[present.length + 1];
        for (int f = 0; f < present.length; f++) {
            int i = present[f];
            offsets[f + 1] = offsets[f] + weight.columnPointers[i + 1] - weight.columnPointers[i];
        }
    }

    /** The connections of {@code w} whose feature is present in {@code x}. */
    static PresentConnections of(CpuSparseMatrix x, CpuSparseMatrix w) {
        return new PresentConnections(x.columnForm(), w.columnForm());
    }

    /** Number of connections. */
    int count() {
        return offsets[offsets.length - 1];
    }

    /**
     * What to add to a position {@code p} of W's column form, for a connection of the {@code f}-th
     * present feature, to get its number here.
     */
    int shift(int f) {
        return offsets[f] - weight.columnPointers[input.nonEmptyColumns[f]];
    }

    /**
     * {@link #shift} of the present feature that is input {@code i} of W (which must be present
     * in the batch): found by a binary search of the present features.
     */
    int shiftOfInput(int i) {
        return shift(Arrays.binarySearch(input.nonEmptyColumns, i));
    }

    /** The values of the connections, in their order here, from W's values in row order. */
    float[] gather(float[] wValues, WorkerPool pool) {
        float[] gathered = new float[count()];
        forFeatures(pool, (from, to) -> {
            for (int f = from; f < to; f++) {
                int p = weight.columnPointers[input.nonEmptyColumns[f]];
                for (int j = offsets[f]; j < offsets[f + 1]; j++, p++) {
                    gathered[j] = wValues[weight.valuePositions[p]];
                }
            }
        });
        return gathered;
    }

    /** {@code dWValues[row-order position of connection j] += sums[j]} for every connection. */
    void scatterAdd(float[] sums, float[] dWValues, WorkerPool pool) {
        forFeatures(pool, (from, to) -> {
            for (int f = from; f < to; f++) {
                int p = weight.columnPointers[input.nonEmptyColumns[f]];
                for (int j = offsets[f]; j < offsets[f + 1]; j++, p++) {
                    dWValues[weight.valuePositions[p]] += sums[j];
                }
            }
        });
    }

    private void forFeatures(WorkerPool pool, WorkerPool.RangeBody body) {
        int features = offsets.length - 1;
        pool.forRange(features, 1 + count() / Math.max(1, features), body);
    }
}
