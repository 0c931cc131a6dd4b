package org.sparselinear.data;

import java.util.Arrays;

/**
 * Assembles one {@link Batch} from samples already checked against the data's {@link SampleSpec}:
 * dense features are copied into one row-major array, sparse rows are appended to CSR arrays, so a
 * sparse batch costs work in its stored values only, never in its width.
 */
final class BatchAssembler {

    private final SampleSpec spec;
    private final int capacity;
    private final float[] dense;
    private final int[] rowPointers;
    private int[] columnIndices;
    private float[] values;
    private final int[] labels;
    private final float[] targets;
    private int count;

    /** An empty batch of room for {@code capacity} samples. */
    BatchAssembler(SampleSpec spec, int capacity) {
        this.spec = spec;
        this.capacity = capacity;
        if (spec.sparse()) {
            dense = null;
            rowPointers = new int[capacity + 1];
            columnIndices = new int[16];
            values = new float[16];
        } else {
            dense = new float[Math.multiplyExact(capacity, spec.featureCount())];
            rowPointers = null;
        }
        labels = spec.labelled() ? new int[capacity] : null;
        targets = spec.labelled() ? null : new float[Math.multiplyExact(capacity, spec.targetWidth())];
    }

    /** Number of samples added. */
    int count() {
        return count;
    }

    /**
     * Adds {@code sample}, which {@link SampleSpec#check} accepted.
     *
     * @throws IllegalStateException when the batch is full
     */
    void add(Sample sample) {
        if (count == capacity) {
            throw new IllegalStateException("the batch is full (" + capacity + " samples)");
        }
        float[] sampleValues = sample.values();
        if (dense != null) {
            System.arraycopy(sampleValues, 0, dense, count * spec.featureCount(), sampleValues.length);
        } else {
            int start = rowPointers[count];
            int end = Math.addExact(start, sampleValues.length);
            if (end > values.length) {
                int grown = (int) Math.min(Integer.MAX_VALUE - 8L, Math.max(end, 2L * values.length));
                columnIndices = Arrays.copyOf(columnIndices, grown);
                values = Arrays.copyOf(values, grown);
            }
            System.arraycopy(sample.indices(), 0, columnIndices, start, sampleValues.length);
            System.arraycopy(sampleValues, 0, values, start, sampleValues.length);
            rowPointers[count + 1] = end;
        }
        if (labels != null) {
            labels[count] = sample.label();
        } else {
            System.arraycopy(sample.target(), 0, targets, count * spec.targetWidth(), spec.targetWidth());
        }
        count++;
    }

    /**
     * The batch of the samples added, at least one; the assembler must not be used afterwards.
     *
     * @throws IllegalStateException when no sample was added
     */
    Batch build() {
        if (count == 0) {
            throw new IllegalStateException("a batch needs at least one sample");
        }
        int[] batchLabels = labels == null || count == capacity ? labels : Arrays.copyOf(labels, count);
        float[] batchTargets =
                targets == null || count == capacity ? targets : Arrays.copyOf(targets, count * spec.targetWidth());
        if (dense != null) {
            return Batch.assembled(
                    count,
                    spec.sampleShape(),
                    count == capacity ? dense : Arrays.copyOf(dense, count * spec.featureCount()),
                    null,
                    null,
                    null,
                    batchLabels,
                    batchTargets);
        }
        int nnz = rowPointers[count];
        return Batch.assembled(
                count,
                spec.sampleShape(),
                null,
                Arrays.copyOf(rowPointers, count + 1),
                Arrays.copyOf(columnIndices, nnz),
                Arrays.copyOf(values, nnz),
                batchLabels,
                batchTargets);
    }
}
