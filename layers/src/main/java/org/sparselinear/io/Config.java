package org.sparselinear.io;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * Typed, checked access to one JSON object of a file's description (a layer's or optimizer's
 * configuration, or a part of it): every getter checks the field's presence, type and range and
 * otherwise throws a {@link ModelFileException} naming the file, the object and the field, e.g.
 * {@code "m.safetensors: layer 1 (SparseLinear): field \"in_features\": expected an integer in [1, 2147483647], got -12"}.
 */
public final class Config {

    private final String source;
    private final String where;
    private final Map<?, ?> map;

    /**
     * The fields of {@code map}, a parsed JSON object.
     *
     * @param source the file, as named in messages
     * @param where the object, as named in messages (e.g. {@code "layer 2 (SparseLinear)"})
     */
    public Config(String source, String where, Map<?, ?> map) {
        this.source = Objects.requireNonNull(source, "source");
        this.where = Objects.requireNonNull(where, "where");
        this.map = Objects.requireNonNull(map, "map");
    }

    /** The file, as named in messages. */
    public String source() {
        return source;
    }

    /** The object, as named in messages. */
    public String where() {
        return where;
    }

    /** A problem with field {@code key}, naming the file, this object and the field. */
    public ModelFileException fail(String key, String problem) {
        return new ModelFileException(source, where, "field \"" + key + "\": " + problem);
    }

    /** Whether the field is present (its value may be null). */
    public boolean has(String key) {
        return map.containsKey(key);
    }

    /** The raw value of a field: a Map, List, String, Long, Double, Boolean or null (also when absent). */
    public Object value(String key) {
        return map.get(key);
    }

    private Object required(String key) throws ModelFileException {
        if (!map.containsKey(key)) {
            throw fail(key, "missing");
        }
        return map.get(key);
    }

    /** A string field. */
    public String string(String key) throws ModelFileException {
        if (!(required(key) instanceof String text)) {
            throw fail(key, "expected a string, got " + show(map.get(key)));
        }
        return text;
    }

    /** A boolean field. */
    public boolean bool(String key) throws ModelFileException {
        if (!(required(key) instanceof Boolean flag)) {
            throw fail(key, "expected true or false, got " + show(map.get(key)));
        }
        return flag;
    }

    /** An array field. */
    public List<?> list(String key) throws ModelFileException {
        if (!(required(key) instanceof List<?> items)) {
            throw fail(key, "expected an array, got " + show(map.get(key)));
        }
        return items;
    }

    /** An array of strings. */
    public List<String> strings(String key) throws ModelFileException {
        List<String> out = new ArrayList<>();
        for (Object item : list(key)) {
            if (!(item instanceof String text)) {
                throw fail(key, "expected an array of strings, got an entry " + show(item));
            }
            out.add(text);
        }
        return out;
    }

    /** An object field, as a {@code Config} named {@code where.key}. */
    public Config object(String key) throws ModelFileException {
        if (!(required(key) instanceof Map<?, ?> nested)) {
            throw fail(key, "expected an object, got " + show(map.get(key)));
        }
        return new Config(source, where + "." + key, nested);
    }

    /** An integer in {@code [1, Integer.MAX_VALUE]}. */
    public int positiveInt(String key) throws ModelFileException {
        Object value = required(key);
        if (!(value instanceof Long number) || number < 1 || number > Integer.MAX_VALUE) {
            throw fail(key, "expected an integer in [1, " + Integer.MAX_VALUE + "], got " + show(value));
        }
        return (int) (long) number;
    }

    /** An integer {@code >= 0}. */
    public long nonNegativeLong(String key) throws ModelFileException {
        Object value = required(key);
        if (!(value instanceof Long number) || number < 0) {
            throw fail(key, "expected an integer >= 0, got " + show(value));
        }
        return number;
    }

    /** Any 64-bit integer (a seed). */
    public long anyLong(String key) throws ModelFileException {
        if (!(required(key) instanceof Long number)) {
            throw fail(key, "expected a 64-bit integer, got " + show(map.get(key)));
        }
        return number;
    }

    /** A finite number. */
    public double finite(String key) throws ModelFileException {
        Object value = required(key);
        if (!(value instanceof Number number) || !Double.isFinite(number.doubleValue())) {
            throw fail(key, "expected a finite number, got " + show(value));
        }
        return number.doubleValue();
    }

    /** {@code value} as messages show it: JSON-quoted strings, at most 60 characters. */
    static String show(Object value) {
        String text = value instanceof String s ? JsonCodec.quote(s) : String.valueOf(value);
        return shorten(text);
    }

    /** {@code text} cut to 60 characters, for messages that quote a file's content. */
    public static String shorten(String text) {
        return text.length() > 60 ? text.substring(0, 60) + "..." : text;
    }
}
