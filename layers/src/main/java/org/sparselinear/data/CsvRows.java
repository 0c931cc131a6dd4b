package org.sparselinear.data;

import java.io.BufferedReader;
import java.io.Closeable;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.Iterator;
import java.util.List;
import java.util.Set;
import org.apache.commons.csv.CSVException;
import org.apache.commons.csv.CSVFormat;
import org.apache.commons.csv.CSVParser;
import org.apache.commons.csv.CSVRecord;

/**
 * One pass over the data rows of a CSV file, parsed by Apache Commons CSV: reads the header (or
 * the first row when there is none), finds the columns {@link CsvOptions} chooses, then turns each
 * row into a {@link Sample}. A class label is an integer, also written as a decimal such as
 * {@code 1.0} (which names class {@code 1}), or a name; a number that is not an integer, such as
 * {@code 0.37}, is an error. Every problem is a {@link DataFormatException} of one line,
 * {@code file:line: problem}, naming the column where one is at fault; the line is the one where
 * the row ends (a quoted field may span lines). Blank lines are skipped. It also records the
 * distinct labels read, for inferring the classes.
 */
final class CsvRows implements Closeable {

    private final Path file;
    private final CsvOptions options;
    private final CSVParser parser;
    private final Iterator<CSVRecord> records;
    private final List<String> header;
    /** What the UTF-8 decoder puts in place of bytes that are not UTF-8 text. */
    private static final char NOT_UTF8 = '\uFFFD';

    private final int fields;
    private final int label;
    private final int[] targets;
    private final int[] features;
    private final Set<String> labels = new HashSet<>();
    private long lastLine;
    private CSVRecord pending;
    private CSVRecord row;
    private long rows;

    /**
     * Opens {@code file} (plain or gzip) and reads its header or first row.
     *
     * @throws DataFormatException when the file is empty, or the chosen columns are not in it
     */
    CsvRows(Path file, CsvOptions options) throws IOException {
        this.file = file;
        this.options = options;
        BufferedReader in = TextFiles.open(file);
        try {
            this.parser = CSVParser.parse(in, format(options));
            this.records = parser.iterator();
            CSVRecord first = nextRecord();
            if (first == null) {
                throw new DataFormatException(
                        file + ": empty; expected " + (options.hasHeader() ? "a header line, then " : "")
                                + "rows of values separated by '" + options.delimiter() + "'");
            }
            this.fields = first.size();
            List<String> names = new ArrayList<>();
            for (int c = 0; c < fields; c++) {
                names.add(options.hasHeader() ? first.get(c).strip() : "column " + c);
            }
            this.header = names;
            this.pending = options.hasHeader() ? null : first;
            String where = file + ":" + parser.getCurrentLineNumber();
            this.label = options.regression() ? -1 : labelColumn(options, where);
            this.targets = resolve(options.targets(), where);
            this.features = options.features().isEmpty() ? otherColumns() : resolve(options.features(), where);
            checkColumns(where);
        } catch (IOException | RuntimeException e) {
            in.close();
            throw e;
        }
    }

    private static CSVFormat format(CsvOptions options) {
        return CSVFormat.DEFAULT
                .builder()
                .setDelimiter(options.delimiter())
                .setIgnoreSurroundingSpaces(true)
                .setIgnoreEmptyLines(true)
                .get();
    }

    private int labelColumn(CsvOptions options, String where) throws DataFormatException {
        if (options.label() == null) {
            if (fields < 2) {
                throw new DataFormatException(where + ": one column; expected features and a label (the last column)"
                        + "; if the fields are separated by another character than ',', give it"
                        + " (CsvOptions.withDelimiter)");
            }
            return fields - 1;
        }
        return options.label().resolve(options.hasHeader() ? header : null, fields, where);
    }

    private int[] resolve(List<CsvColumn> columns, String where) throws DataFormatException {
        int[] indices = new int[columns.size()];
        for (int i = 0; i < indices.length; i++) {
            indices[i] = columns.get(i).resolve(options.hasHeader() ? header : null, fields, where);
        }
        return indices;
    }

    private int[] otherColumns() {
        Set<Integer> taken = new HashSet<>();
        taken.add(label);
        for (int target : targets) {
            taken.add(target);
        }
        List<Integer> others = new ArrayList<>();
        for (int c = 0; c < fields; c++) {
            if (!taken.contains(c)) {
                others.add(c);
            }
        }
        return others.stream().mapToInt(Integer::intValue).toArray();
    }

    private void checkColumns(String where) throws DataFormatException {
        Set<Integer> seen = new HashSet<>();
        if (label >= 0) {
            seen.add(label);
        }
        for (int[] columns : new int[][] {targets, features}) {
            for (int column : columns) {
                if (!seen.add(column)) {
                    throw new DataFormatException(where + ": column " + describe(column)
                            + " is chosen twice (as label, target or feature); choose each column once");
                }
            }
        }
        if (features.length == 0) {
            throw new DataFormatException(
                    where + ": no column is left for the features; the file has " + fields + " columns " + header);
        }
        if (options.featureCount() > 0 && features.length != options.featureCount()) {
            throw new DataFormatException(where + ": " + features.length + " feature columns, but the training set has "
                    + options.featureCount() + " features; read the file with the columns of the training set");
        }
        if (options.targetWidth() > 0 && targets.length != options.targetWidth()) {
            throw new DataFormatException(where + ": " + targets.length + " target columns, but the training set has "
                    + options.targetWidth() + " targets; read the file with the columns of the training set");
        }
        if (options.hasHeader() && !options.expectedHeader().isEmpty() && !header.equals(options.expectedHeader())) {
            throw new DataFormatException(where + ": the header names the columns " + header + ", the training "
                    + "file's " + options.expectedHeader() + "; columns are matched by position, so give the test file "
                    + "the training file's columns in the same order (or read it withClassLabels(training"
                    + ".classLabels()) to match them by position whatever their names)");
        }
    }

    /** The names of the file's header line, in order; empty when the options say it has none. */
    List<String> header() {
        return options.hasHeader() ? header : List.of();
    }

    /** The number of features of a sample. */
    int featureCount() {
        return features.length;
    }

    /** The number of target values of a sample (1 for a class label). */
    int targetWidth() {
        return label >= 0 ? 1 : targets.length;
    }

    /**
     * Reads the next data row and checks its number of fields and its label (against the classes of
     * the options, when they give them).
     *
     * @return false at the end of the file
     */
    boolean next() throws IOException {
        row = pending != null ? pending : nextRecord();
        pending = null;
        if (row == null) {
            return false;
        }
        rows++;
        if (row.size() != fields) {
            throw problem(row.size() + " fields, expected " + fields + " as in the "
                    + (options.hasHeader() ? "header " + header : "first row"));
        }
        if (label >= 0) {
            String name = row.get(label).strip();
            if (name.isEmpty()) {
                throw problem("column " + describe(label) + ": the class label is empty");
            }
            if (name.indexOf(NOT_UTF8) >= 0) {
                throw problem("column " + describe(label) + ": label '" + name + "' holds bytes that are not UTF-8 "
                        + "text (the file may be Latin-1 or Windows-1252); convert it, e.g. iconv -f latin1 -t utf-8");
            }
            if (ClassLabels.isNumber(name) && ClassLabels.integer(name).isEmpty()) {
                throw problem("column " + describe(label) + ": label '" + name + "' is not a class: class labels are"
                        + " integers or names; to predict float values read the column as a regression target"
                        + " (CsvOptions.withTargets(" + (options.hasHeader() ? "\"" + header.get(label) + "\"" : label)
                        + "))");
            }
            if (options.classLabels() != null) {
                classIn(options.classLabels());
            } else {
                labels.add(ClassLabels.canonical(name));
            }
        }
        return true;
    }

    /**
     * The classes of the rows read: those of the options, else the distinct labels read in sorted
     * order; none for regression.
     *
     * @throws DataFormatException when they are inferred and no row was read
     */
    ClassLabels classLabels() throws DataFormatException {
        if (label < 0) {
            return ClassLabels.none();
        }
        if (options.classLabels() != null) {
            return options.classLabels();
        }
        if (rows == 0) {
            throw new DataFormatException(file + ": no data rows, so no classes; a data set needs at least one row");
        }
        return ClassLabels.sorted(labels);
    }

    /** The feature values of the row just read. */
    float[] features() throws DataFormatException {
        return numbers(features);
    }

    /** The target values of the row just read (regression). */
    float[] targets() throws DataFormatException {
        return numbers(targets);
    }

    /** The class label of the row just read, in the form {@link ClassLabels} compares. */
    String label() {
        return ClassLabels.canonical(row.get(label));
    }

    /**
     * The sample of the row just read: its features, and its class in {@code classLabels} or its
     * targets (regression).
     */
    Sample sample(ClassLabels classLabels) throws DataFormatException {
        return label < 0 ? Sample.dense(features(), targets()) : Sample.dense(features(), classIn(classLabels));
    }

    private int classIn(ClassLabels classLabels) throws DataFormatException {
        String name = label();
        int c = classLabels.classOf(name);
        if (c < 0) {
            throw problem("column " + describe(label) + ": label '" + name + "' is not one of the "
                    + classLabels.size() + " classes given " + classLabels
                    + " (a test set can only hold the labels of its training set)");
        }
        return c;
    }

    private float[] numbers(int[] columns) throws DataFormatException {
        float[] values = new float[columns.length];
        for (int i = 0; i < columns.length; i++) {
            String token = row.get(columns[i]);
            try {
                values[i] = Decimals.parse(token);
            } catch (NumberFormatException e) {
                throw problem("column " + describe(columns[i]) + ": '" + token + "' is " + e.getMessage());
            }
        }
        return values;
    }

    private String describe(int column) {
        return options.hasHeader() ? "'" + header.get(column) + "' (index " + column + ")" : Integer.toString(column);
    }

    private DataFormatException problem(String what) {
        return new DataFormatException(file + ":" + parser.getCurrentLineNumber() + ": " + what);
    }

    private CSVRecord nextRecord() throws IOException {
        try {
            CSVRecord record = records.hasNext() ? records.next() : null;
            lastLine = parser.getCurrentLineNumber();
            return record;
        } catch (UncheckedIOException e) {
            if (e.getCause() instanceof CSVException invalid) {
                throw new DataFormatException(
                        file + ":" + (lastLine + 1) + ": not valid CSV (" + invalid.getMessage() + ")");
            }
            throw e.getCause();
        }
    }

    @Override
    public void close() throws IOException {
        parser.close();
    }
}
