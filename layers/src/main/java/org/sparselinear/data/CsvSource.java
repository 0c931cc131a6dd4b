package org.sparselinear.data;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.List;

/**
 * A CSV file streamed: each {@link #open()} reads the file from the start, one row at a time,
 * without holding it. Made by {@link Csv#stream}, which fixes the columns and the classes before
 * the first pass.
 */
public final class CsvSource extends FileSource {

    private final CsvOptions options;
    private final List<String> header;

    CsvSource(
            Path file,
            CsvOptions options,
            int featureCount,
            int targetWidth,
            ClassLabels classLabels,
            List<String> header) {
        super(file, featureCount, false, targetWidth, classLabels);
        this.options = classLabels.size() > 0 ? options.withClassLabels(classLabels) : options;
        this.header = List.copyOf(header);
    }

    @Override
    public List<String> header() {
        return header;
    }

    /**
     * One pass over the file. Its {@code hasNext} and {@code next} throw an
     * {@link UncheckedIOException} whose cause, a {@link DataFormatException}, names the file, line
     * and column of a row that is not valid (or the file when it cannot be read).
     */
    @Override
    public SampleIterator open() throws IOException {
        CsvRows rows = new CsvRows(file(), options);
        return new FileSamples(file(), () -> rows.next() ? rows.sample(classLabels()) : null, rows);
    }
}
