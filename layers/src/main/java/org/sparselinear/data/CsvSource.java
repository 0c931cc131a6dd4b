package org.sparselinear.data;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;

/**
 * A CSV file streamed: each {@link #open()} reads the file from the start, one row at a time,
 * without holding it. Made by {@link Csv#stream}, which fixes the columns and the classes before
 * the first pass.
 */
public final class CsvSource implements LabelledSource {

    private final Path file;
    private final CsvOptions options;
    private final int featureCount;
    private final int targetWidth;
    private final ClassLabels classLabels;

    CsvSource(Path file, CsvOptions options, int featureCount, int targetWidth, ClassLabels classLabels) {
        this.file = file;
        this.options = classLabels.size() > 0 ? options.withClassLabels(classLabels) : options;
        this.featureCount = featureCount;
        this.targetWidth = targetWidth;
        this.classLabels = classLabels;
    }

    /** The file this source reads. */
    public Path file() {
        return file;
    }

    @Override
    public int featureCount() {
        return featureCount;
    }

    @Override
    public boolean isSparse() {
        return false;
    }

    @Override
    public int classes() {
        return classLabels.size();
    }

    @Override
    public int targetWidth() {
        return targetWidth;
    }

    @Override
    public ClassLabels classLabels() {
        return classLabels;
    }

    /**
     * One pass over the file. Its {@code hasNext} and {@code next} throw an
     * {@link UncheckedIOException} whose cause, a {@link DataFormatException}, names the file, line
     * and column of a row that is not valid (or the file when it cannot be read).
     */
    @Override
    public SampleIterator open() throws IOException {
        CsvRows rows = new CsvRows(file, options);
        return new FileSamples(file, () -> rows.next() ? rows.sample(classLabels) : null, rows);
    }

    @Override
    public String toString() {
        return "CsvSource(" + file + ", " + featureCount + " features, "
                + (classes() > 0 ? classes() + " classes" : targetWidth + " targets") + ")";
    }
}
