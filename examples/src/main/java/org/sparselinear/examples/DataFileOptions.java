package org.sparselinear.examples;

import picocli.CommandLine.Option;

/**
 * How to read a {@code --data} file, shared by the commands that take one ({@code train},
 * {@code evaluate}): its format when the name does not say it, a CSV file's label column, header
 * line and delimiter, and whether an svmlight file counts its features from 0.
 */
final class DataFileOptions {

    @Option(
            names = "--format",
            paramLabel = "svmlight|csv|idx",
            description = "Format of --data when its name does not say it (.svm, .svmlight, .libsvm, .csv, each "
                    + "optionally .gz; a folder is IDX).")
    String format;

    @Option(
            names = "--label-column",
            paramLabel = "NAME|INDEX",
            description = "CSV: the column of the class label, by header name or 0-based index (default: the last "
                    + "column); every other column is a feature.")
    String labelColumn;

    @Option(names = "--no-header", description = "CSV: the first line is data, not column names.")
    boolean noHeader;

    @Option(
            names = "--delimiter",
            paramLabel = "CHAR",
            description = "CSV: the character between fields (default ','), e.g. ';' or 'tab'.")
    String delimiter;

    @Option(
            names = "--zero-based",
            description = "svmlight: feature indices start at 0 (default: at 1, as LIBSVM writes them).")
    boolean zeroBased;

    /** These options as the record the data readers take. */
    FileLayout layout() {
        return new FileLayout(labelColumn, !noHeader, FileLayout.delimiter(delimiter), zeroBased);
    }
}
