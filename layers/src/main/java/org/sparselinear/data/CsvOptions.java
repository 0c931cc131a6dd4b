package org.sparselinear.data;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * How {@link Csv} reads a file: whether its first line is a header (the default) and its
 * delimiter (a comma by default); which column is the class label (classification, the default:
 * the last column) or which columns are float targets (regression); which columns are the features
 * (by default every other column). Columns are chosen by header name or by 0-based index. Immutable:
 * each {@code with...} method returns a changed copy.
 *
 * <p>A test set must be read with its training set's columns and classes: read it with the options
 * the training set was read with, {@link #likeTrainingSet made like the training set}, which fixes
 * the class labels and checks the number of features and targets.
 */
public final class CsvOptions {

    private boolean header = true;
    private char delimiter = ',';
    private CsvColumn label;
    private List<CsvColumn> targets = List.of();
    private List<CsvColumn> features = List.of();
    private ClassLabels classLabels;
    private int featureCount;
    private int targetWidth;
    private List<String> expectedHeader = List.of();

    private CsvOptions() {}

    /**
     * The defaults: a header line, comma-separated, the last column a class label (classes numbered
     * in sorted order, see {@link ClassLabels}), every other column a feature.
     */
    public static CsvOptions defaults() {
        return new CsvOptions();
    }

    private CsvOptions copy() {
        CsvOptions copy = new CsvOptions();
        copy.header = header;
        copy.delimiter = delimiter;
        copy.label = label;
        copy.targets = targets;
        copy.features = features;
        copy.classLabels = classLabels;
        copy.featureCount = featureCount;
        copy.targetWidth = targetWidth;
        copy.expectedHeader = expectedHeader;
        return copy;
    }

    /** These options with ({@code true}) or without a header line; without one, columns are chosen by index. */
    public CsvOptions withHeader(boolean header) {
        CsvOptions copy = copy();
        copy.header = header;
        return copy;
    }

    /** These options with fields separated by {@code delimiter}, e.g. {@code ';'} or {@code '\t'}. */
    public CsvOptions withDelimiter(char delimiter) {
        if (delimiter == '"' || delimiter == '\n' || delimiter == '\r') {
            throw new IllegalArgumentException(
                    "the delimiter cannot be a quote or a line break, got '" + delimiter + "'");
        }
        CsvOptions copy = copy();
        copy.delimiter = delimiter;
        return copy;
    }

    /** These options reading the class label from the column named {@code name} (classification). */
    public CsvOptions withLabel(String name) {
        return withLabel(CsvColumn.named(name));
    }

    /** These options reading the class label from the column at 0-based {@code index} (classification). */
    public CsvOptions withLabel(int index) {
        return withLabel(CsvColumn.at(index));
    }

    private CsvOptions withLabel(CsvColumn column) {
        CsvOptions copy = copy();
        copy.label = column;
        copy.targets = List.of();
        copy.targetWidth = 0;
        return copy;
    }

    /** These options reading float targets from the columns named {@code names}, in this order (regression). */
    public CsvOptions withTargets(String... names) {
        List<CsvColumn> columns = new ArrayList<>();
        for (String name : names) {
            columns.add(CsvColumn.named(name));
        }
        return withTargets(columns);
    }

    /** These options reading float targets from the columns at 0-based {@code indices}, in this order (regression). */
    public CsvOptions withTargets(int... indices) {
        List<CsvColumn> columns = new ArrayList<>();
        for (int index : indices) {
            columns.add(CsvColumn.at(index));
        }
        return withTargets(columns);
    }

    private CsvOptions withTargets(List<CsvColumn> columns) {
        if (columns.isEmpty()) {
            throw new IllegalArgumentException("no target column given; regression needs at least one");
        }
        CsvOptions copy = copy();
        copy.targets = List.copyOf(columns);
        copy.label = null;
        copy.classLabels = null;
        return copy;
    }

    /** These options reading the features from the columns named {@code names}, in this order, and no other. */
    public CsvOptions withFeatures(String... names) {
        List<CsvColumn> columns = new ArrayList<>();
        for (String name : names) {
            columns.add(CsvColumn.named(name));
        }
        return withFeatures(columns);
    }

    /** These options reading the features from the columns at 0-based {@code indices}, in this order, and no other. */
    public CsvOptions withFeatures(int... indices) {
        List<CsvColumn> columns = new ArrayList<>();
        for (int index : indices) {
            columns.add(CsvColumn.at(index));
        }
        return withFeatures(columns);
    }

    private CsvOptions withFeatures(List<CsvColumn> columns) {
        if (columns.isEmpty()) {
            throw new IllegalArgumentException("no feature column given; a sample needs at least one feature");
        }
        CsvOptions copy = copy();
        copy.features = List.copyOf(columns);
        return copy;
    }

    /**
     * These options with fixed classes: class {@code c} is the label {@code classLabels.name(c)},
     * and a label not among them is an error naming the line. Implies classification.
     */
    public CsvOptions withClassLabels(ClassLabels classLabels) {
        Objects.requireNonNull(classLabels, "classLabels");
        if (classLabels.size() == 0) {
            throw new IllegalArgumentException("no class labels given; for target values use withTargets");
        }
        if (regression()) {
            throw new IllegalArgumentException("these options read target columns " + targets
                    + "; class labels need a label column: choose it with withLabel first");
        }
        CsvOptions copy = copy();
        copy.classLabels = classLabels;
        return copy;
    }

    /**
     * These options requiring the file's header line to name exactly {@code columns}, in this order
     * (compared without surrounding spaces): for a held-out file read for a model trained on a file
     * with this header, since columns are matched by position. {@link #likeTrainingSet} sets it from
     * the training set.
     *
     * @throws IllegalArgumentException when these options say the file has no header
     */
    public CsvOptions withExpectedHeader(List<String> columns) {
        Objects.requireNonNull(columns, "columns");
        if (!header) {
            throw new IllegalArgumentException("these options read a file without a header line, so there is no "
                    + "header to check against " + columns + "; read it withHeader(true)");
        }
        CsvOptions copy = copy();
        copy.expectedHeader = columns.stream().map(String::strip).toList();
        return copy;
    }

    /**
     * These options for reading a test set of {@code training}: its class labels, and a check that
     * the file gives as many features (and targets) as the training set has and, when both files
     * have a header line, that it names the same columns in the same order. The columns stay those
     * of these options: use the options the training set was read with.
     *
     * @throws IllegalArgumentException when these options read a label and the training set has
     *     targets, or the other way round
     */
    public CsvOptions likeTrainingSet(LabelledSource training) {
        Objects.requireNonNull(training, "training");
        boolean trainingRegression = training.classes() == 0;
        if (trainingRegression != regression()) {
            throw new IllegalArgumentException("the training set has "
                    + (trainingRegression ? "target values" : training.classes() + " classes")
                    + " but these options read " + (regression() ? "target columns" : "a class label")
                    + "; read the test set with the options the training set was read with");
        }
        CsvOptions copy = trainingRegression ? copy() : withClassLabels(training.classLabels());
        copy.featureCount = training.featureCount();
        copy.targetWidth = trainingRegression ? training.targetWidth() : 0;
        copy.expectedHeader = header ? training.header() : List.of();
        return copy;
    }

    /** Whether the first line is a header of column names. */
    public boolean hasHeader() {
        return header;
    }

    /** The character between fields. */
    public char delimiter() {
        return delimiter;
    }

    /** Whether the targets are float columns (regression) rather than a class label. */
    public boolean regression() {
        return !targets.isEmpty();
    }

    /** The fixed classes, or null when they are inferred from the file's labels (or for regression). */
    public ClassLabels classLabels() {
        return classLabels;
    }

    /** The number of features the file must give (a training set's), or 0 when any number will do. */
    public int featureCount() {
        return featureCount;
    }

    /** The label column; null for the last column (or for regression). */
    CsvColumn label() {
        return label;
    }

    /** The target columns; empty for classification. */
    List<CsvColumn> targets() {
        return targets;
    }

    /** The feature columns; empty for every column that is not a label or target. */
    List<CsvColumn> features() {
        return features;
    }

    /** The header a test file must have (its training file's, {@link #likeTrainingSet}), or empty for any. */
    List<String> expectedHeader() {
        return expectedHeader;
    }

    /** The number of targets the file must give (a training set's), or 0 when any number will do. */
    int targetWidth() {
        return targetWidth;
    }

    /** Every column chosen by name, which needs a header. */
    List<CsvColumn> namedColumns() {
        List<CsvColumn> named = new ArrayList<>();
        if (label != null && label.isNamed()) {
            named.add(label);
        }
        for (List<CsvColumn> columns : List.of(targets, features)) {
            for (CsvColumn column : columns) {
                if (column.isNamed()) {
                    named.add(column);
                }
            }
        }
        return named;
    }

    @Override
    public String toString() {
        return "CsvOptions(" + (header ? "header" : "no header") + ", delimiter '" + delimiter + "', "
                + (regression()
                        ? "targets " + targets
                        : "label " + (label == null ? "last column" : label) + ", classes "
                                + (classLabels == null ? "inferred" : classLabels))
                + ", features " + (features.isEmpty() ? "the other columns" : features) + ")";
    }
}
