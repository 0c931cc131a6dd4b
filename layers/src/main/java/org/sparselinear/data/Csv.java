package org.sparselinear.data;

import java.io.IOException;
import java.nio.file.Path;
import java.util.Objects;

/**
 * Reads CSV files (RFC 4180, parsed by Apache Commons CSV) of dense samples: one sample per row,
 * a class label column (classification) or float target columns (regression), and feature
 * columns of numbers.
 *
 * <pre>{@code
 * CsvOptions options = CsvOptions.defaults().withLabel("species");
 * LabelledDataset train = Csv.read(Path.of("train.csv"), options);
 * LabelledDataset test = Csv.read(Path.of("test.csv"), options.likeTrainingSet(train));
 * }</pre>
 *
 * <p>Choices: a {@code .gz} file (recognised by its content) is decompressed while it is read;
 * blank lines are skipped; white space around a field is ignored. By default the first line is a
 * header, the last column is the class label and every other column a feature
 * ({@link CsvOptions}). Class labels may be integers or names (any text that is not a number);
 * an integer written as a decimal, {@code 1.0} as pandas writes it when the column holds a missing
 * value, is that integer's class, and a number that is not an integer ({@code 0.37}) is an error
 * (read such a column as a regression target). The distinct labels are numbered in sorted order
 * (numerically when all are integers, see {@link ClassLabels}), and the mapping is the result's
 * {@link LabelledSource#classLabels()}. There are no missing values: an empty
 * field is an error.
 *
 * <p>Every problem is a {@link DataFormatException} of one line that names the file, the line (where
 * the row ends) and the column: a bad number (with the field), a row with the wrong number of
 * fields, a column name that is not in the header (listing the header), a label the training set
 * does not have, invalid quoting, a truncated or corrupt {@code .gz}.
 */
public final class Csv {

    private Csv() {}

    /** Reads {@code file} into memory with the {@linkplain CsvOptions#defaults() default options}. */
    public static LabelledDataset read(Path file) throws IOException {
        return read(file, CsvOptions.defaults());
    }

    /**
     * Reads {@code file} into memory in one pass; inferred classes are known once the whole file is
     * read.
     *
     * @throws DataFormatException naming the file, line and column when the content is not valid
     * @throws IllegalArgumentException when the options choose a column by name but say the file has no header
     * @throws IOException when the file cannot be read
     */
    public static LabelledDataset read(Path file, CsvOptions options) throws IOException {
        checkArguments(file, options);
        PendingSamples samples = new PendingSamples(file, false);
        try (CsvRows rows = new CsvRows(file, options)) {
            while (rows.next()) {
                if (options.regression()) {
                    samples.add(null, rows.features(), rows.targets());
                } else {
                    samples.add(null, rows.features(), rows.label());
                }
            }
            return samples.build(rows.featureCount(), rows.classLabels(), rows.targetWidth())
                    .withHeader(rows.header());
        }
    }

    /**
     * A source that reads {@code file} anew on each pass without holding it, for files larger than
     * memory. For classification without given classes ({@link CsvOptions#withClassLabels} or
     * {@link CsvOptions#likeTrainingSet}), this call reads the whole file once to find them (and
     * to check every row).
     *
     * @throws DataFormatException naming the file, line and column when the header or that first pass
     *     finds invalid content
     * @throws IllegalArgumentException when the options choose a column by name but say the file has no header
     * @throws IOException when the file cannot be read
     */
    public static CsvSource stream(Path file, CsvOptions options) throws IOException {
        checkArguments(file, options);
        try (CsvRows rows = new CsvRows(file, options)) {
            if (!options.regression() && options.classLabels() == null) {
                while (rows.next()) {
                    rows.features(); // checks the numbers; next() records the label
                }
            }
            return new CsvSource(
                    file, options, rows.featureCount(), rows.targetWidth(), rows.classLabels(), rows.header());
        }
    }

    private static void checkArguments(Path file, CsvOptions options) {
        Objects.requireNonNull(file, "file");
        Objects.requireNonNull(options, "options");
        if (!options.hasHeader() && !options.namedColumns().isEmpty()) {
            throw new IllegalArgumentException("columns " + options.namedColumns() + " are chosen by name, but the"
                    + " options say " + file + " has no header; choose them by 0-based index, or read the header");
        }
    }
}
