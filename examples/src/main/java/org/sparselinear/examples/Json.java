package org.sparselinear.examples;

import java.util.Collection;
import java.util.Iterator;
import java.util.Map;

/**
 * A tiny JSON writer, enough for the run records the CLI writes (no JSON library needed).
 *
 * <p>Values map as follows: {@link Map} (keys turned into strings, in the map's iteration
 * order, so use a {@link java.util.LinkedHashMap}) to an object; {@link Collection} and arrays of
 * primitives to an array; {@link CharSequence}, {@link Enum} and {@link java.nio.file.Path} to a
 * string; {@link Boolean} to {@code true}/{@code false}; integral numbers as they are; floating
 * point numbers in their shortest round-trip form, with NaN and infinities written as {@code null}
 * (JSON has no such numbers); {@code null} to {@code null}. Anything else is an error.
 */
public final class Json {

    private static final String INDENT = "  ";

    private Json() {
    }

    /** {@code value} as pretty-printed JSON (two-space indent), without a trailing newline. */
    public static String write(Object value) {
        StringBuilder out = new StringBuilder();
        write(value, out, 0);
        return out.toString();
    }

    /** {@code text} as a JSON string literal, quotes included. */
    public static String quote(CharSequence text) {
        StringBuilder out = new StringBuilder(text.length() + 2);
        quote(text, out);
        return out.toString();
    }

    private static void quote(CharSequence text, StringBuilder out) {
        out.append('"');
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            switch (c) {
                case '"' -> out.append("\\\"");
                case '\\' -> out.append("\\\\");
                case '\b' -> out.append("\\b");
                case '\f' -> out.append("\\f");
                case '\n' -> out.append("\\n");
                case '\r' -> out.append("\\r");
                case '\t' -> out.append("\\t");
                default -> {
                    // Control characters must be escaped; U+2028/2029 are legal JSON but break
                    // JavaScript parsers, and lone surrogates cannot be encoded as UTF-8.
                    if (c < 0x20 || c == 0x7f || c == '\u2028' || c == '\u2029' || isLoneSurrogate(text, i)) {
                        out.append(String.format("\\u%04x", (int) c));
                    } else {
                        out.append(c);
                    }
                }
            }
        }
        out.append('"');
    }

    private static boolean isLoneSurrogate(CharSequence text, int i) {
        char c = text.charAt(i);
        if (Character.isHighSurrogate(c)) {
            return i + 1 >= text.length() || !Character.isLowSurrogate(text.charAt(i + 1));
        }
        if (Character.isLowSurrogate(c)) {
            return i == 0 || !Character.isHighSurrogate(text.charAt(i - 1));
        }
        return false;
    }

    private static void write(Object value, StringBuilder out, int depth) {
        if (value == null) {
            out.append("null");
        } else if (value instanceof CharSequence text) {
            quote(text, out);
        } else if (value instanceof Enum<?> || value instanceof java.nio.file.Path || value instanceof Character) {
            quote(value.toString(), out);
        } else if (value instanceof Boolean) {
            out.append(value);
        } else if (value instanceof Double || value instanceof Float) {
            double d = ((Number) value).doubleValue();
            if (!Double.isFinite(d)) {
                out.append("null");
            } else if (value instanceof Float f) {
                out.append(f); // shortest form of the float, not of its double widening
            } else {
                out.append(d);
            }
        } else if (value instanceof Byte || value instanceof Short || value instanceof Integer || value instanceof Long
                || value instanceof java.math.BigInteger || value instanceof java.math.BigDecimal) {
            out.append(value);
        } else if (value instanceof Map<?, ?> map) {
            writeObject(map, out, depth);
        } else if (value instanceof Collection<?> collection) {
            writeArray(collection.iterator(), collection.isEmpty(), out, depth);
        } else if (value instanceof int[] ints) {
            writeArray(java.util.Arrays.stream(ints).boxed().iterator(), ints.length == 0, out, depth);
        } else if (value instanceof long[] longs) {
            writeArray(java.util.Arrays.stream(longs).boxed().iterator(), longs.length == 0, out, depth);
        } else if (value instanceof double[] doubles) {
            writeArray(java.util.Arrays.stream(doubles).boxed().iterator(), doubles.length == 0, out, depth);
        } else if (value instanceof Object[] objects) {
            writeArray(java.util.Arrays.asList(objects).iterator(), objects.length == 0, out, depth);
        } else {
            throw new IllegalArgumentException("Json cannot write a " + value.getClass().getName()
                    + "; convert it to a Map, List, String, Number or Boolean first");
        }
    }

    private static void writeObject(Map<?, ?> map, StringBuilder out, int depth) {
        if (map.isEmpty()) {
            out.append("{}");
            return;
        }
        out.append('{');
        boolean first = true;
        for (Map.Entry<?, ?> entry : map.entrySet()) {
            if (entry.getKey() == null) {
                throw new IllegalArgumentException("Json object keys cannot be null");
            }
            out.append(first ? "\n" : ",\n");
            first = false;
            indent(out, depth + 1);
            quote(entry.getKey().toString(), out);
            out.append(": ");
            write(entry.getValue(), out, depth + 1);
        }
        out.append('\n');
        indent(out, depth);
        out.append('}');
    }

    private static void writeArray(Iterator<?> items, boolean empty, StringBuilder out, int depth) {
        if (empty) {
            out.append("[]");
            return;
        }
        out.append('[');
        boolean first = true;
        while (items.hasNext()) {
            out.append(first ? "\n" : ",\n");
            first = false;
            indent(out, depth + 1);
            write(items.next(), out, depth + 1);
        }
        out.append('\n');
        indent(out, depth);
        out.append(']');
    }

    private static void indent(StringBuilder out, int depth) {
        for (int i = 0; i < depth; i++) {
            out.append(INDENT);
        }
    }
}
