package org.sparselinear.data;

import java.util.Arrays;
import java.util.Objects;

/**
 * The in-memory {@link Dataset} a {@link DatasetBuilder} builds: every sample's values (and, when
 * sparse, indices) one after the other in chunked arrays, found through a {@code long} offset per
 * sample; labels in an {@code int[]} or target vectors in a chunked array. Immutable.
 */
final class ChunkedDataset implements Dataset {

    private final SampleSpec spec;
    private final int size;
    private final long[] offsets;
    private final ChunkedArray<float[]> values;
    private final ChunkedArray<int[]> indices;
    private final int[] labels;
    private final ChunkedArray<float[]> targets;

    /** Takes ownership of the storage that a builder filled and checked. */
    ChunkedDataset(
            SampleSpec spec,
            int size,
            long[] offsets,
            ChunkedArray<float[]> values,
            ChunkedArray<int[]> indices,
            int[] labels,
            ChunkedArray<float[]> targets) {
        this.spec = spec;
        this.size = size;
        this.offsets = offsets;
        this.values = values;
        this.indices = indices;
        this.labels = labels;
        this.targets = targets;
    }

    @Override
    public int size() {
        return size;
    }

    @Override
    public Sample get(int index) {
        Objects.checkIndex(index, size);
        long start = offsets[index];
        int nnz = (int) (offsets[index + 1] - start);
        float[] sampleValues = values.copy(start, nnz);
        if (indices != null) {
            int[] sampleIndices = indices.copy(start, nnz);
            return labels != null
                    ? Sample.sparse(sampleIndices, sampleValues, labels[index])
                    : Sample.sparse(sampleIndices, sampleValues, target(index));
        }
        return labels != null ? Sample.dense(sampleValues, labels[index]) : Sample.dense(sampleValues, target(index));
    }

    private float[] target(int index) {
        return targets.copy((long) index * spec.targetWidth(), spec.targetWidth());
    }

    @Override
    public int featureCount() {
        return spec.featureCount();
    }

    @Override
    public int[] sampleShape() {
        return spec.sampleShape();
    }

    @Override
    public boolean isSparse() {
        return spec.sparse();
    }

    @Override
    public int classes() {
        return spec.classes();
    }

    @Override
    public int targetWidth() {
        return spec.targetWidth();
    }

    @Override
    public String toString() {
        return "Dataset(size=" + size + ", sampleShape=" + Arrays.toString(spec.sampleShape())
                + (spec.sparse() ? ", sparse" : "")
                + (spec.labelled() ? ", classes=" + spec.classes() : ", targetWidth=" + spec.targetWidth()) + ")";
    }
}
