package org.sparselinear.examples;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;
import org.sparselinear.data.CsvOptions;
import org.sparselinear.data.DataFormat;
import org.sparselinear.data.SvmLightOptions;

/**
 * How the lines of a data file are laid out, as {@link DataFileOptions} gives it: a CSV file's
 * label column, header line and delimiter, and whether an svmlight file's feature indices start
 * at 0. Each setting belongs to one format, and giving it for a file of the other is refused
 * rather than ignored.
 *
 * @param labelColumn a CSV label column's header name or 0-based index, or null for the last column
 * @param header whether a CSV file's first line names its columns
 * @param delimiter the character between a CSV file's fields, or null for a comma
 * @param zeroBased whether an svmlight file's first feature is 0 rather than 1
 */
record FileLayout(String labelColumn, boolean header, Character delimiter, boolean zeroBased) {

    /** What a command without these options reads: CSV with a header, label last, commas; svmlight from 1. */
    static final FileLayout DEFAULT = new FileLayout(null, true, null, false);

    /**
     * The delimiter {@code --delimiter} names: one character, or {@code tab}; null when not given.
     *
     * @throws UsageException for anything else
     */
    static Character delimiter(String given) {
        if (given == null) {
            return null;
        }
        if (given.equalsIgnoreCase("tab") || given.equals("\\t") || given.equals("\t")) {
            return '\t';
        }
        if (given.length() != 1 || given.equals("\"") || given.equals("\n") || given.equals("\r")) {
            throw new UsageException("--delimiter takes one character other than a quote or a line break, or 'tab'; "
                    + "got '" + given + "'");
        }
        return given.charAt(0);
    }

    /**
     * Refuses the settings that do not apply to {@code file}, read as {@code format}.
     *
     * @throws UsageException naming the options and the file's format
     */
    void requireFits(DataFormat format, Path file) {
        List<String> csvOnly = new ArrayList<>();
        if (labelColumn != null) {
            csvOnly.add("--label-column");
        }
        if (!header) {
            csvOnly.add("--no-header");
        }
        if (delimiter != null) {
            csvOnly.add("--delimiter");
        }
        if (format != DataFormat.CSV && !csvOnly.isEmpty()) {
            throw new UsageException(String.join(", ", csvOnly) + (csvOnly.size() == 1 ? " applies" : " apply")
                    + " to CSV files, but " + file + " is read as " + describe(format) + "; leave "
                    + (csvOnly.size() == 1 ? "it" : "them") + " out, or give --format csv if the file is CSV");
        }
        if (format != DataFormat.SVMLIGHT && zeroBased) {
            throw new UsageException("--zero-based applies to svmlight files, but " + file + " is read as "
                    + describe(format) + "; leave it out");
        }
    }

    private static String describe(DataFormat format) {
        return switch (format) {
            case SVMLIGHT -> "svmlight (its label is the first field of each line)";
            case CSV -> "CSV";
            case IDX -> "an IDX folder (MNIST's format)";
        };
    }

    /**
     * The CSV reading options these settings give.
     *
     * @throws UsageException when the label column is named but the file has no header to find it in
     */
    CsvOptions csvOptions(Path file) {
        CsvOptions options = CsvOptions.defaults().withHeader(header);
        if (delimiter != null) {
            options = options.withDelimiter(delimiter);
        }
        if (labelColumn == null) {
            return options;
        }
        if (!labelColumn.isEmpty()
                && labelColumn.length() < 10
                && labelColumn.chars().allMatch(Character::isDigit)) {
            return options.withLabel(Integer.parseInt(labelColumn));
        }
        if (!header) {
            throw new UsageException("--label-column " + labelColumn + " names a column, but --no-header says " + file
                    + " has no line of column names; give the column's 0-based index instead (e.g. --label-column 0 "
                    + "for the first)");
        }
        return options.withLabel(labelColumn);
    }

    /**
     * The CSV settings as a JSON object, for a checkpoint ({@link TrainCommand#CSV_LAYOUT}): the label
     * column (absent for the last), whether there is a header, the delimiter (absent for a comma), and
     * the header's column names (absent when {@code columns} is empty).
     */
    Map<String, Object> csvJson(List<String> columns) {
        Map<String, Object> json = new LinkedHashMap<>();
        if (labelColumn != null) {
            json.put("label_column", labelColumn);
        }
        json.put("header", header);
        if (delimiter != null) {
            json.put("delimiter", String.valueOf(delimiter));
        }
        if (!columns.isEmpty()) {
            json.put("columns", columns);
        }
        return json;
    }

    /**
     * The column names a {@link #csvJson} object holds, empty when it holds none.
     *
     * @throws IllegalArgumentException when they are not a list of names
     */
    static List<String> savedColumns(Map<?, ?> saved) {
        Object columns = saved.get("columns");
        if (columns == null) {
            return List.of();
        }
        if (!(columns instanceof List<?> names) || !names.stream().allMatch(String.class::isInstance)) {
            throw new IllegalArgumentException("expected \"columns\" to be a list of column names, got " + columns);
        }
        return names.stream().map(String.class::cast).toList();
    }

    /**
     * These settings, with the CSV ones the user did not give ({@code given} tests an option's
     * name) taken from {@code saved}, a {@link #csvJson()} object.
     *
     * @throws IllegalArgumentException when {@code saved} is not such an object
     */
    FileLayout withSavedCsv(Map<?, ?> saved, Predicate<String> given) {
        Object column = saved.get("label_column");
        Object savedHeader = saved.get("header");
        Object savedDelimiter = saved.get("delimiter");
        if ((column != null && !(column instanceof String))
                || !(savedHeader instanceof Boolean)
                || (savedDelimiter != null && !(savedDelimiter instanceof String text && text.length() == 1))) {
            throw new IllegalArgumentException("expected {\"label_column\": name or index, \"header\": true|false, "
                    + "\"delimiter\": one character}, got " + saved);
        }
        return new FileLayout(
                given.test("--label-column") ? labelColumn : (String) column,
                given.test("--no-header") ? header : (Boolean) savedHeader,
                given.test("--delimiter") || savedDelimiter == null
                        ? delimiter
                        : Character.valueOf(((String) savedDelimiter).charAt(0)),
                zeroBased);
    }

    /** The svmlight reading options these settings give. */
    SvmLightOptions svmlightOptions() {
        return SvmLightOptions.defaults().withZeroBased(zeroBased);
    }
}
