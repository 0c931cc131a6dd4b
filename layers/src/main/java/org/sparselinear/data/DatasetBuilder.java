package org.sparselinear.data;

import java.util.Arrays;
import java.util.Objects;

/**
 * Collects samples into an in-memory {@link Dataset}: {@link #add} each sample (checked against
 * the data set's width, kind of features and kind of target), then {@link #build}. Values, indices
 * and targets are stored in chunks, so a data set may hold more than 2^31 values in total; one
 * sample still fits in a Java array. Get one from {@link Dataset#builder}. Not thread-safe.
 */
public final class DatasetBuilder {

    private final SampleSpec spec;
    private final ChunkedArray<float[]> values;
    private final ChunkedArray<int[]> indices;
    private final ChunkedArray<float[]> targets;
    private long[] offsets = {0};
    private int[] labels = new int[0];
    private int size;
    private boolean built;

    /** A builder with chunks of {@link ChunkedArray#DEFAULT_CHUNK_SIZE} elements. */
    DatasetBuilder(SampleSpec spec) {
        this(spec, ChunkedArray.DEFAULT_CHUNK_SIZE);
    }

    /** A builder with chunks of {@code chunkSize} elements (small in tests of the chunk boundaries). */
    DatasetBuilder(SampleSpec spec, int chunkSize) {
        this.spec = Objects.requireNonNull(spec, "spec");
        this.values = new ChunkedArray<>(float[]::new, chunkSize);
        this.indices = spec.sparse() ? new ChunkedArray<>(int[]::new, chunkSize) : null;
        this.targets = spec.labelled() ? null : new ChunkedArray<>(float[]::new, chunkSize);
    }

    /**
     * Adds {@code sample}, copying its arrays.
     *
     * @throws IllegalArgumentException naming the sample (0-based, in order of addition) when it does not
     *     match the data set: dense where sparse is expected or the other way round, a wrong number of
     *     values, sparse indices out of {@code [0, featureCount)}, unsorted or repeated, a label out of
     *     {@code [0, classes)}, or a target of the wrong kind or width
     * @throws IllegalStateException after {@link #build()}
     */
    public DatasetBuilder add(Sample sample) {
        if (built) {
            throw new IllegalStateException(
                    "this builder has built its data set; start a new one with Dataset.builder");
        }
        if (size == Integer.MAX_VALUE - 8) {
            throw new IllegalStateException("a data set holds at most " + size + " samples");
        }
        spec.check(sample, size);
        float[] sampleValues = sample.values();
        values.append(sampleValues, 0, sampleValues.length);
        if (indices != null) {
            indices.append(sample.indices(), 0, sampleValues.length);
        }
        if (size + 2 > offsets.length) {
            offsets = Arrays.copyOf(offsets, grown(offsets.length));
        }
        offsets[size + 1] = values.size();
        if (targets == null) {
            if (size == labels.length) {
                labels = Arrays.copyOf(labels, grown(labels.length));
            }
            labels[size] = sample.label();
        } else {
            targets.append(sample.target(), 0, spec.targetWidth());
        }
        size++;
        return this;
    }

    private static int grown(int length) {
        return (int) Math.min(Integer.MAX_VALUE - 8L, Math.max(16, 2L * length));
    }

    /** Number of samples added so far. */
    public int size() {
        return size;
    }

    /**
     * The data set of the samples added; the builder cannot be used afterwards.
     *
     * @throws IllegalStateException when no sample was added, or when called twice
     */
    public Dataset build() {
        if (built) {
            throw new IllegalStateException("build() was already called on this builder");
        }
        if (size == 0) {
            throw new IllegalStateException("no samples were added; a data set needs at least one");
        }
        built = true;
        return new ChunkedDataset(
                spec,
                size,
                Arrays.copyOf(offsets, size + 1),
                values,
                indices,
                targets == null ? Arrays.copyOf(labels, size) : null,
                targets);
    }
}
