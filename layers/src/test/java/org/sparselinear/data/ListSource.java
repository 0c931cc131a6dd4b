package org.sparselinear.data;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.List;
import java.util.NoSuchElementException;
import java.util.function.IntFunction;

/**
 * A test {@link SampleSource} that is not a {@link Dataset}: it makes sample {@code i} on demand,
 * and counts what was read and how many passes are open, so tests can see that readers stream and
 * close. Optionally fails with a {@link DataFormatException} at one sample.
 */
final class ListSource implements SampleSource {

    private final int count;
    private final IntFunction<Sample> samples;
    private final int featureCount;
    private final boolean sparse;
    private final int classes;
    private final int targetWidth;
    private final int failAt;
    int read;
    int open;
    int opened;

    ListSource(
            int count,
            IntFunction<Sample> samples,
            int featureCount,
            boolean sparse,
            int classes,
            int targetWidth,
            int failAt) {
        this.count = count;
        this.samples = samples;
        this.featureCount = featureCount;
        this.sparse = sparse;
        this.classes = classes;
        this.targetWidth = targetWidth;
        this.failAt = failAt;
    }

    /** A source over {@code list}, labelled with {@code classes} classes, that never fails. */
    static ListSource of(List<Sample> list, int featureCount, boolean sparse, int classes) {
        return new ListSource(list.size(), list::get, featureCount, sparse, classes, 1, -1);
    }

    @Override
    public int featureCount() {
        return featureCount;
    }

    @Override
    public boolean isSparse() {
        return sparse;
    }

    @Override
    public int classes() {
        return classes;
    }

    @Override
    public int targetWidth() {
        return targetWidth;
    }

    @Override
    public SampleIterator open() {
        open++;
        opened++;
        return new SampleIterator() {
            private int next;
            private boolean closed;

            @Override
            public boolean hasNext() {
                return next < count;
            }

            @Override
            public Sample next() {
                if (closed) {
                    throw new IllegalStateException("read after close");
                }
                if (next >= count) {
                    throw new NoSuchElementException();
                }
                if (next == failAt) {
                    throw new UncheckedIOException(new DataFormatException("test.svm line " + (next + 1) + ": bad"));
                }
                read++;
                return samples.apply(next++);
            }

            @Override
            public void close() throws IOException {
                if (!closed) {
                    closed = true;
                    open--;
                }
            }
        };
    }
}
