package org.sparselinear.data;

import java.io.Closeable;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.NoSuchElementException;

/**
 * The {@link SampleIterator} of a file streamed by {@link SvmLightSource} or {@link CsvSource}:
 * reads one sample ahead, and turns the reader's {@link IOException} (a {@link DataFormatException}
 * for bad content) into the {@link UncheckedIOException} an iterator may throw.
 */
final class FileSamples implements SampleIterator {

    /** Reads the next sample of a file. */
    @FunctionalInterface
    interface Reader {
        /** The next sample, or null at the end of the file. */
        Sample read() throws IOException;
    }

    private final Path file;
    private final Reader reader;
    private final Closeable resource;
    private Sample next;
    private boolean ended;

    /** The samples {@code reader} reads from {@code file}; closing closes {@code resource}. */
    FileSamples(Path file, Reader reader, Closeable resource) {
        this.file = file;
        this.reader = reader;
        this.resource = resource;
    }

    @Override
    public boolean hasNext() {
        if (next == null && !ended) {
            try {
                next = reader.read();
            } catch (IOException e) {
                throw new UncheckedIOException(e.getMessage(), e);
            }
            ended = next == null;
        }
        return next != null;
    }

    @Override
    public Sample next() {
        if (!hasNext()) {
            throw new NoSuchElementException("every sample of " + file + " was read");
        }
        Sample sample = next;
        next = null;
        return sample;
    }

    @Override
    public void close() throws IOException {
        resource.close();
    }
}
