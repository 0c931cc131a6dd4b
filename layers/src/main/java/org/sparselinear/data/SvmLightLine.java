package org.sparselinear.data;

import java.nio.file.Path;
import java.util.Arrays;
import java.util.OptionalLong;

/**
 * Parses the lines of an svmlight/LIBSVM file, one at a time, into a reused buffer:
 * {@code label [qid:N] index:value index:value ... [# comment]}, fields separated by spaces or
 * tabs. Written by hand (no regular expressions, no {@code String.split}): a file of 50,000 lines
 * with half a million entries parses in a fraction of a second.
 *
 * <p>Checked: the label is an integer, also written as a decimal such as {@code 1.0}
 * ({@link ClassLabels#integer}, classification), or a finite number (regression); every
 * index is an integer of at least 1 (or 0 for {@code zeroBased} files) and at most the feature
 * count when one is given; indices strictly ascend along the line (no duplicates); every value is
 * a finite number. A {@code qid:N} field right after the label is accepted and ignored. Each
 * problem is a {@link DataFormatException} of one line: {@code file:line: problem}.
 */
final class SvmLightLine {

    /** The most features a sample may have: the largest Java array. */
    private static final int MAX_FEATURES = Integer.MAX_VALUE - 8;

    private final Path file;
    private final boolean zeroBased;
    private final boolean regression;
    private final int featureCount;

    private long lineNumber;
    private String text;
    private long label;
    private float target;
    private int[] indices = new int[16];
    private float[] values = new float[16];
    private int size;

    /**
     * A parser of the lines of {@code file}.
     *
     * @param featureCount the number of features, which bounds the indices; 0 when not known
     */
    SvmLightLine(Path file, boolean zeroBased, boolean regression, int featureCount) {
        this.file = file;
        this.zeroBased = zeroBased;
        this.regression = regression;
        this.featureCount = featureCount;
    }

    /**
     * Parses line {@code lineNumber} (1-based) of the file.
     *
     * @return false for a blank or comment-only line, which holds no sample
     */
    boolean parse(String line, long lineNumber) throws DataFormatException {
        this.text = line;
        this.lineNumber = lineNumber;
        this.size = 0;
        int end = line.indexOf('#');
        if (end < 0) {
            end = line.length();
        }
        int start = skipBlanks(0, end);
        if (start == end) {
            return false;
        }
        int labelEnd = fieldEnd(start, end);
        parseLabel(start, labelEnd);
        int position = skipBlanks(labelEnd, end);
        if (position < end && line.startsWith("qid:", position)) {
            int qidEnd = fieldEnd(position, end);
            parseInteger(position + 4, qidEnd, "qid");
            position = skipBlanks(qidEnd, end);
        }
        while (position < end) {
            int fieldEnd = fieldEnd(position, end);
            parseEntry(position, fieldEnd);
            position = skipBlanks(fieldEnd, end);
        }
        return true;
    }

    /** The class label of the line just parsed (classification). */
    long label() {
        return label;
    }

    /** The target of the line just parsed (regression). */
    float target() {
        return target;
    }

    /** The 0-based feature indices of the line just parsed, ascending, as a new array. */
    int[] indices() {
        return Arrays.copyOf(indices, size);
    }

    /** The values of the line just parsed, in the order of {@link #indices()}, as a new array. */
    float[] values() {
        return Arrays.copyOf(values, size);
    }

    /** The number of features the line just parsed needs: its largest 0-based index plus one (0 for none). */
    int width() {
        return size == 0 ? 0 : indices[size - 1] + 1;
    }

    /**
     * The sample of the line just parsed: its features, and its class in {@code classLabels} or its
     * target (regression).
     *
     * @throws DataFormatException when the label is not one of {@code classLabels}
     */
    Sample sample(ClassLabels classLabels) throws DataFormatException {
        if (regression) {
            return Sample.sparse(indices(), values(), new float[] {target});
        }
        return Sample.sparse(indices(), values(), classIn(classLabels));
    }

    /**
     * The class of the line just parsed in {@code classLabels}.
     *
     * @throws DataFormatException when its label is not one of them
     */
    int classIn(ClassLabels classLabels) throws DataFormatException {
        int c = classLabels.classOf(Long.toString(label));
        if (c < 0) {
            throw problem("label " + label + " is not one of the " + classLabels.size() + " classes given "
                    + classLabels + " (a test set can only hold the labels of its training set)");
        }
        return c;
    }

    /** A problem with the line just parsed, as {@code file:line: what}. */
    private DataFormatException problem(String what) {
        return new DataFormatException(file + ":" + lineNumber + ": " + what);
    }

    private void parseLabel(int start, int end) throws DataFormatException {
        int colon = text.indexOf(':', start);
        if (colon >= 0 && colon < end) {
            throw problem("the line starts with '" + text.substring(start, end)
                    + "', expected a label first (label index:value ...)");
        }
        if (regression) {
            target = parseFloat(start, end, "target");
            return;
        }
        String token = text.substring(start, end);
        if (token.indexOf(',') >= 0) {
            throw problem(
                    text.indexOf(':') < 0
                            ? "'" + token
                                    + "' is not an svmlight line (label index:value ...); is the file CSV? Read it as CSV"
                            : "label '" + token + "' lists several classes; multi-label files are not supported");
        }
        OptionalLong integer = ClassLabels.integer(token);
        if (integer.isEmpty()) {
            throw problem("label '" + token + "' is not an integer; class labels must be integers"
                    + " (to read float targets, read the file as regression: SvmLightOptions.withRegression(true))");
        }
        label = integer.getAsLong();
    }

    private void parseEntry(int start, int end) throws DataFormatException {
        int colon = text.indexOf(':', start);
        if (colon < 0 || colon >= end) {
            throw problem("'" + text.substring(start, end) + "' is not an index:value pair");
        }
        long index = parseInteger(start, colon, "feature index");
        int first = zeroBased ? 0 : 1;
        if (index < first) {
            throw problem("feature index " + index
                    + (zeroBased
                            ? "; indices are 0 or more"
                            : "; svmlight indices are 1-based (the first feature is 1); for a file whose indices start at 0"
                                    + " read it as zero-based"));
        }
        long last = featureCount > 0 ? featureCount - 1L + first : MAX_FEATURES - 1L + first;
        if (index > last) {
            throw problem("feature index " + index + " is beyond the "
                    + (featureCount > 0
                            ? featureCount + " features given (indices " + first + ".." + last
                                    + "); a test set must have no feature its training set lacks"
                            : "largest supported index " + last));
        }
        int zeroBasedIndex = (int) (index - first);
        if (size > 0 && zeroBasedIndex <= indices[size - 1]) {
            throw problem(
                    zeroBasedIndex == indices[size - 1]
                            ? "feature index " + index + " appears twice; each feature at most once per line"
                            : "feature index " + index + " comes after " + (indices[size - 1] + first)
                                    + "; indices must ascend along a line");
        }
        float value = parseFloat(colon + 1, end, "value of feature " + index);
        if (size == indices.length) {
            indices = Arrays.copyOf(indices, 2 * size);
            values = Arrays.copyOf(values, 2 * size);
        }
        indices[size] = zeroBasedIndex;
        values[size] = value;
        size++;
    }

    private long parseInteger(int start, int end, String what) throws DataFormatException {
        int position = start < end && (text.charAt(start) == '-' || text.charAt(start) == '+') ? start + 1 : start;
        if (position == end) {
            throw problem(what + " '" + text.substring(start, end) + "' is not an integer"
                    + (start == end ? " (empty)" : ""));
        }
        long value = 0;
        for (int digit = position; digit < end; digit++) {
            char c = text.charAt(digit);
            if (c < '0' || c > '9') {
                throw problem(what + " '" + text.substring(start, end) + "' is not an integer");
            }
            if (digit - position == 18) {
                throw problem(what + " '" + text.substring(start, end) + "' is too large");
            }
            value = 10 * value + (c - '0');
        }
        return text.charAt(start) == '-' ? -value : value;
    }

    private float parseFloat(int start, int end, String what) throws DataFormatException {
        String token = text.substring(start, end);
        try {
            return Decimals.parse(token);
        } catch (NumberFormatException e) {
            throw problem(what + " '" + token + "' is " + e.getMessage());
        }
    }

    private int skipBlanks(int position, int end) {
        while (position < end && isBlank(text.charAt(position))) {
            position++;
        }
        return position;
    }

    private int fieldEnd(int position, int end) {
        while (position < end && !isBlank(text.charAt(position))) {
            position++;
        }
        return position;
    }

    private static boolean isBlank(char c) {
        return c == ' ' || c == '\t' || c == '\r';
    }
}
