package org.sparselinear.examples;

import picocli.CommandLine.Option;

/**
 * How to read a {@code --data} file, shared by the commands that take one ({@code train},
 * {@code evaluate}): its format when the name does not say it, and a CSV file's label column and
 * header line.
 */
final class DataFileOptions {

    @Option(
            names = "--format",
            paramLabel = "svmlight|csv|idx",
            description = "Format of --data when its name does not say it (.svm, .libsvm, .csv, each optionally .gz; "
                    + "a folder is IDX).")
    String format;

    @Option(
            names = "--label-column",
            paramLabel = "NAME|INDEX",
            description = "CSV: the column of the class label, by header name or 0-based index (default: the last "
                    + "column); every other column is a feature.")
    String labelColumn;

    @Option(names = "--no-header", description = "CSV: the first line is data, not column names.")
    boolean noHeader;

    /** Whether a CSV file's first line holds the column names. */
    boolean header() {
        return !noHeader;
    }
}
