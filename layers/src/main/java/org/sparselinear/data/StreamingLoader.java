package org.sparselinear.data;

import java.io.Closeable;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.Iterator;
import java.util.NoSuchElementException;
import java.util.Objects;
import java.util.SplittableRandom;
import org.sparselinear.spi.Checks;

/**
 * Mini-batches read in order from a {@link SampleSource} without holding it: each
 * {@link #iterator()} call opens the source for one pass and holds at most one batch plus the
 * shuffle buffer, so a file larger than memory can be trained on. The pass closes the source when
 * it has read the last sample, when reading fails, or when {@link Pass#close()} is called (stop a
 * pass early inside try-with-resources). Make one with {@link DataLoader#streaming}.
 */
public final class StreamingLoader implements Iterable<Batch> {

    private final SampleSource source;
    private final SampleSpec spec;
    private final int batchSize;
    private final int shuffleBuffer;
    private final SplittableRandom passes;

    /** A loader; {@code shuffleBuffer} 0 reads in order. */
    StreamingLoader(SampleSource source, int batchSize, int shuffleBuffer, long seed) {
        this.source = Objects.requireNonNull(source, "source");
        this.spec = SampleSpec.of(source);
        this.batchSize = Checks.positive(batchSize, "batch size");
        this.shuffleBuffer = shuffleBuffer;
        this.passes = new SplittableRandom(seed);
    }

    /** Samples per batch (the last of a pass may hold fewer). */
    public int batchSize() {
        return batchSize;
    }

    /** The source read. */
    public SampleSource source() {
        return source;
    }

    /**
     * Opens one pass over the source.
     *
     * @throws UncheckedIOException when the source cannot be opened
     */
    @Override
    public Pass iterator() {
        SplittableRandom random = null;
        if (shuffleBuffer > 0) {
            synchronized (passes) {
                random = passes.split();
            }
        }
        try {
            return new Pass(source.open(), random);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * One pass: batches in order (or shuffled through the buffer). Reading may throw an
     * {@link UncheckedIOException} as {@link SampleIterator} does; the source is closed then.
     */
    public final class Pass implements Iterator<Batch>, Closeable {

        private final SampleIterator samples;
        private final SplittableRandom random;
        private final Sample[] buffer;
        private int buffered;
        private long read;
        private boolean closed;

        private Pass(SampleIterator samples, SplittableRandom random) {
            this.samples = samples;
            this.random = random;
            this.buffer = new Sample[Math.max(1, shuffleBuffer)];
        }

        @Override
        public boolean hasNext() {
            if (closed) {
                return false;
            }
            guarded(this::fill);
            if (buffered == 0) {
                close();
                return false;
            }
            return true;
        }

        @Override
        public Batch next() {
            if (!hasNext()) {
                throw new NoSuchElementException("the pass has read every sample of the source");
            }
            BatchAssembler batch = new BatchAssembler(spec, batchSize);
            guarded(() -> {
                while (batch.count() < batchSize && buffered > 0) {
                    int slot = random == null ? 0 : random.nextInt(buffered);
                    batch.add(buffer[slot]);
                    if (samples.hasNext()) {
                        buffer[slot] = nextSample();
                    } else {
                        buffer[slot] = buffer[buffered - 1];
                        buffer[--buffered] = null;
                    }
                }
            });
            return batch.build();
        }

        private void fill() {
            while (buffered < buffer.length && samples.hasNext()) {
                buffer[buffered++] = nextSample();
            }
        }

        private Sample nextSample() {
            Sample sample = samples.next();
            spec.check(sample, read++);
            return sample;
        }

        /** Runs {@code step}, closing the source when it throws. */
        private void guarded(Runnable step) {
            try {
                step.run();
            } catch (RuntimeException e) {
                try {
                    close();
                } catch (UncheckedIOException suppressed) {
                    e.addSuppressed(suppressed);
                }
                throw e;
            }
        }

        /** Closes the source; later calls do nothing. */
        @Override
        public void close() {
            if (closed) {
                return;
            }
            closed = true;
            try {
                samples.close();
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
    }
}
