package org.sparselinear.data;

import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.OptionalLong;
import java.util.TreeSet;

/**
 * The classes of a data file: class {@code c} of the samples (in {@code [0, size())}) is the
 * file's label {@link #name(int) name(c)}. A model trains on class numbers; this mapping turns
 * them back into the file's labels, and reads a test set with the same numbering as its training
 * set.
 *
 * <p>Inferred mappings ({@link #sorted}) number the distinct labels in sorted order: numerically
 * when every label is an integer, else by their text. Labels that are already {@code 0..k-1} so
 * keep their value; {@code -1/+1} become classes 0 and 1, {@code 1..k} become {@code 0..k-1}, and
 * text labels such as {@code setosa, versicolor, virginica} become 0, 1, 2. An integer label is
 * written without sign or leading zeros ({@link #canonical}), so {@code +1}, {@code 01} and
 * {@code 1} are one class; so is an integer written as a decimal number, {@code 1.0} or
 * {@code 1e0} (as pandas writes an integer column that holds a missing value).
 */
public final class ClassLabels {

    private static final int SHOWN = 20;
    /** The largest integer a label written with a fraction or exponent may be: exact in a double, with room. */
    private static final double LARGEST_INTEGER = 1e15;

    private static final ClassLabels NONE = new ClassLabels(List.of());

    private final List<String> names;
    private final Map<String, Integer> classes;

    private ClassLabels(List<String> names) {
        this.names = List.copyOf(names);
        this.classes = new HashMap<>();
        for (int c = 0; c < this.names.size(); c++) {
            Integer earlier = classes.put(this.names.get(c), c);
            if (earlier != null) {
                throw new IllegalArgumentException("class label '" + this.names.get(c) + "' is given twice (classes "
                        + earlier + " and " + c + "); each label names one class");
            }
        }
    }

    /**
     * The mapping that gives class {@code c} the label {@code labels.get(c)}, e.g. the classes of
     * a training set for reading its test set.
     *
     * @throws IllegalArgumentException when a label is given twice
     */
    public static ClassLabels of(List<String> labels) {
        List<String> canonical = new ArrayList<>(labels.size());
        for (String label : labels) {
            canonical.add(canonical(Objects.requireNonNull(label, "class label")));
        }
        return new ClassLabels(canonical);
    }

    /**
     * The distinct {@code labels} numbered in sorted order: numerically when all are integers,
     * else by their text.
     */
    public static ClassLabels sorted(Collection<String> labels) {
        TreeSet<String> distinct = new TreeSet<>();
        boolean integers = true;
        for (String label : labels) {
            String name = canonical(label);
            distinct.add(name);
            integers &= isInteger(name);
        }
        List<String> names = new ArrayList<>(distinct);
        if (integers) {
            names.sort(Comparator.comparingLong(Long::parseLong));
        }
        return new ClassLabels(names);
    }

    /** The mapping of a data set without classes (regression targets): no class at all. */
    public static ClassLabels none() {
        return NONE;
    }

    /**
     * The form a label is compared in: the text without surrounding white space, and an integer
     * without sign, leading zeros, fraction or exponent ({@code "+1"}, {@code "01"}, {@code "1.0"}
     * and {@code "0.1e1"} become {@code "1"}).
     */
    public static String canonical(String label) {
        String trimmed = label.strip();
        OptionalLong integer = integer(trimmed);
        return integer.isPresent() ? Long.toString(integer.getAsLong()) : trimmed;
    }

    /**
     * The integer that {@code label} writes as a decimal number: {@code 1}, {@code +1},
     * {@code 01}, {@code 1.0} and {@code 1e0} all write 1. Empty when it writes none: a name such
     * as {@code setosa}, or a number that is not an integer, such as {@code 0.37}
     * ({@link #isNumber} tells the two apart), or an integer beyond 10^15 written with a fraction,
     * an exponent or more than 18 digits.
     */
    static OptionalLong integer(String label) {
        String text = label.strip();
        if (isInteger(text)) {
            return OptionalLong.of(Long.parseLong(text));
        }
        double value = decimal(text);
        return value == Math.rint(value) && Math.abs(value) <= LARGEST_INTEGER
                ? OptionalLong.of((long) value)
                : OptionalLong.empty();
    }

    /** Whether {@code label} is a finite decimal number ({@code 1}, {@code 1.0}, {@code 0.37}) rather than a name. */
    static boolean isNumber(String label) {
        return !Double.isNaN(decimal(label.strip()));
    }

    /** The value of {@code text} as a finite decimal number ({@link Decimals}), or NaN when it is a name. */
    private static double decimal(String text) {
        int start = !text.isEmpty() && (text.charAt(0) == '+' || text.charAt(0) == '-') ? 1 : 0;
        if (text.length() == start || !isDigit(text.charAt(start)) && text.charAt(start) != '.') {
            return Double.NaN; // a name such as setosa, told without the cost of an exception
        }
        try {
            return Decimals.parseDouble(text);
        } catch (NumberFormatException name) {
            return Double.NaN;
        }
    }

    /** Number of classes; 0 for a data set with regression targets. */
    public int size() {
        return names.size();
    }

    /** The file's label of class {@code c}. */
    public String name(int c) {
        Objects.checkIndex(c, names.size());
        return names.get(c);
    }

    /** The labels of all classes, class 0 first. */
    public List<String> names() {
        return names;
    }

    /** The class of the file label {@code label} (compared in {@link #canonical} form), or -1 when it has none. */
    public int classOf(String label) {
        return classes.getOrDefault(canonical(label), -1);
    }

    /** Whether every class {@code c} is labelled {@code c} in the file, so class numbers and labels agree. */
    public boolean isIdentity() {
        for (int c = 0; c < names.size(); c++) {
            if (!names.get(c).equals(Integer.toString(c))) {
                return false;
            }
        }
        return true;
    }

    private static boolean isInteger(String text) {
        int start = !text.isEmpty() && (text.charAt(0) == '+' || text.charAt(0) == '-') ? 1 : 0;
        if (text.length() == start || text.length() - start > 18) {
            return false;
        }
        for (int i = start; i < text.length(); i++) {
            if (!isDigit(text.charAt(i))) {
                return false;
            }
        }
        return true;
    }

    private static boolean isDigit(char c) {
        return c >= '0' && c <= '9';
    }

    @Override
    public boolean equals(Object other) {
        return other instanceof ClassLabels labels && names.equals(labels.names);
    }

    @Override
    public int hashCode() {
        return names.hashCode();
    }

    /** The labels in class order, the first {@value #SHOWN} of a longer list followed by how many more there are. */
    @Override
    public String toString() {
        if (names.size() <= SHOWN) {
            return names.toString();
        }
        String shown = names.subList(0, SHOWN).toString();
        return shown.substring(0, shown.length() - 1) + ", ... " + (names.size() - SHOWN) + " more]";
    }
}
