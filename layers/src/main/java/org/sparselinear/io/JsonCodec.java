package org.sparselinear.io;

import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * A small, strict JSON parser and compact writer for the headers and metadata of model files
 * (no JSON library is needed). It is meant for untrusted input: nesting is limited to
 * {@value #MAX_DEPTH} levels, duplicate object keys are an error, and every problem is a
 * {@link SyntaxException} that gives the character offset.
 *
 * <p>Values map as follows: object to a {@link LinkedHashMap} (keys in file order), array to a
 * {@link List}, string to {@link String}, {@code true}/{@code false} to {@link Boolean},
 * {@code null} to {@code null}, a number without fraction or exponent that fits in a
 * {@code long} to {@link Long}, any other number to {@link Double}. The writer takes the same
 * types ({@link Integer} too) and writes doubles in their shortest round-trip form, so a
 * {@code double} or {@code long} survives a write and a parse exactly.
 */
public final class JsonCodec {

    /** The deepest nesting of arrays and objects accepted. */
    public static final int MAX_DEPTH = 64;

    private final String text;
    private int position;

    private JsonCodec(String text) {
        this.text = text;
    }

    /**
     * Parses one JSON value; whitespace may surround it, nothing else may follow it.
     *
     * @throws SyntaxException naming the offset and the problem
     */
    public static Object parse(String text) throws SyntaxException {
        JsonCodec parser = new JsonCodec(text);
        parser.skipWhitespace();
        Object value = parser.value(0);
        parser.skipWhitespace();
        if (parser.position < text.length()) {
            throw parser.error("unexpected " + parser.describeNext() + " after the value");
        }
        return value;
    }

    /**
     * {@code value} as compact JSON.
     *
     * @throws IllegalArgumentException for a type the writer does not know, a non-finite
     *         number or a null object key
     */
    public static String write(Object value) {
        StringBuilder out = new StringBuilder();
        write(value, out);
        return out.toString();
    }

    // ---- parser ---------------------------------------------------------------------------

    private Object value(int depth) throws SyntaxException {
        if (position >= text.length()) {
            throw error("unexpected end of text, expected a value");
        }
        char c = text.charAt(position);
        switch (c) {
            case '{':
                return object(depth + 1);
            case '[':
                return array(depth + 1);
            case '"':
                return string();
            case 't':
                literal("true");
                return Boolean.TRUE;
            case 'f':
                literal("false");
                return Boolean.FALSE;
            case 'n':
                literal("null");
                return null;
            default:
                if (c == '-' || (c >= '0' && c <= '9')) {
                    return number();
                }
                throw error("unexpected " + describeNext() + ", expected a value");
        }
    }

    private Map<String, Object> object(int depth) throws SyntaxException {
        checkDepth(depth);
        position++;
        Map<String, Object> map = new LinkedHashMap<>();
        skipWhitespace();
        if (peek() == '}') {
            position++;
            return map;
        }
        while (true) {
            skipWhitespace();
            if (peek() != '"') {
                throw error("unexpected " + describeNext() + ", expected a string key");
            }
            int keyAt = position;
            String key = string();
            skipWhitespace();
            expect(':');
            skipWhitespace();
            Object item = value(depth);
            if (map.containsKey(key)) {
                position = keyAt;
                throw error("duplicate key " + quote(key));
            }
            map.put(key, item);
            skipWhitespace();
            char next = peek();
            if (next == ',') {
                position++;
            } else if (next == '}') {
                position++;
                return map;
            } else {
                throw error("unexpected " + describeNext() + ", expected ',' or '}'");
            }
        }
    }

    private List<Object> array(int depth) throws SyntaxException {
        checkDepth(depth);
        position++;
        List<Object> list = new ArrayList<>();
        skipWhitespace();
        if (peek() == ']') {
            position++;
            return list;
        }
        while (true) {
            skipWhitespace();
            list.add(value(depth));
            skipWhitespace();
            char next = peek();
            if (next == ',') {
                position++;
            } else if (next == ']') {
                position++;
                return list;
            } else {
                throw error("unexpected " + describeNext() + ", expected ',' or ']'");
            }
        }
    }

    private String string() throws SyntaxException {
        int start = position;
        position++;
        StringBuilder out = new StringBuilder();
        while (true) {
            if (position >= text.length()) {
                position = start;
                throw error("unterminated string");
            }
            char c = text.charAt(position++);
            if (c == '"') {
                return out.toString();
            }
            if (c < 0x20) {
                position--;
                throw error(String.format(Locale.ROOT, "control character U+%04X inside a string must be escaped",
                        (int) c));
            }
            if (c != '\\') {
                out.append(c);
                continue;
            }
            if (position >= text.length()) {
                position = start;
                throw error("unterminated string");
            }
            char escape = text.charAt(position++);
            switch (escape) {
                case '"' -> out.append('"');
                case '\\' -> out.append('\\');
                case '/' -> out.append('/');
                case 'b' -> out.append('\b');
                case 'f' -> out.append('\f');
                case 'n' -> out.append('\n');
                case 'r' -> out.append('\r');
                case 't' -> out.append('\t');
                case 'u' -> {
                    if (position + 4 > text.length()) {
                        position -= 2;
                        throw error("\\u escape needs four hexadecimal digits");
                    }
                    int code = 0;
                    for (int i = 0; i < 4; i++) {
                        int digit = Character.digit(text.charAt(position + i), 16);
                        if (digit < 0) {
                            position -= 2;
                            throw error("\\u escape needs four hexadecimal digits");
                        }
                        code = code * 16 + digit;
                    }
                    position += 4;
                    out.append((char) code);
                }
                default -> {
                    position -= 2;
                    throw error("unknown escape \\" + printable(escape));
                }
            }
        }
    }

    private Object number() throws SyntaxException {
        int start = position;
        boolean integral = true;
        if (peek() == '-') {
            position++;
        }
        if (peek() == '0') {
            position++;
        } else if (isDigit(peek())) {
            while (isDigit(peek())) {
                position++;
            }
        } else {
            throw error("a number needs digits after '-'");
        }
        if (peek() == '.') {
            integral = false;
            position++;
            if (!isDigit(peek())) {
                throw error("a number needs digits after '.'");
            }
            while (isDigit(peek())) {
                position++;
            }
        }
        if (peek() == 'e' || peek() == 'E') {
            integral = false;
            position++;
            if (peek() == '+' || peek() == '-') {
                position++;
            }
            if (!isDigit(peek())) {
                throw error("a number needs digits in its exponent");
            }
            while (isDigit(peek())) {
                position++;
            }
        }
        String literal = text.substring(start, position);
        if (integral && literal.length() <= 20) {
            try {
                return Long.parseLong(literal);
            } catch (NumberFormatException e) {
                // Too large for a long: fall through to a double.
            }
        }
        if (literal.length() > 400) {
            position = start;
            throw error("a number of " + literal.length() + " characters is too long");
        }
        double value = new BigDecimal(literal).doubleValue();
        if (Double.isInfinite(value)) {
            position = start;
            throw error("number " + literal + " is too large for a double");
        }
        return value;
    }

    private void literal(String word) throws SyntaxException {
        if (!text.startsWith(word, position)) {
            throw error("unexpected " + describeNext() + ", expected a value");
        }
        position += word.length();
    }

    private void expect(char c) throws SyntaxException {
        if (peek() != c) {
            throw error("unexpected " + describeNext() + ", expected '" + c + "'");
        }
        position++;
    }

    private void checkDepth(int depth) throws SyntaxException {
        if (depth > MAX_DEPTH) {
            throw error("arrays and objects nest deeper than " + MAX_DEPTH + " levels");
        }
    }

    private char peek() {
        return position < text.length() ? text.charAt(position) : '\0';
    }

    private void skipWhitespace() {
        while (position < text.length()) {
            char c = text.charAt(position);
            if (c != ' ' && c != '\t' && c != '\n' && c != '\r') {
                return;
            }
            position++;
        }
    }

    private static boolean isDigit(char c) {
        return c >= '0' && c <= '9';
    }

    private String describeNext() {
        return position >= text.length() ? "end of text" : "character '" + printable(text.charAt(position)) + "'";
    }

    private static String printable(char c) {
        return c >= 0x20 && c < 0x7f ? String.valueOf(c) : String.format(Locale.ROOT, "\\u%04x", (int) c);
    }

    private SyntaxException error(String problem) {
        return new SyntaxException(position, problem);
    }

    // ---- writer ---------------------------------------------------------------------------

    private static void write(Object value, StringBuilder out) {
        if (value == null) {
            out.append("null");
        } else if (value instanceof String s) {
            out.append(quote(s));
        } else if (value instanceof Boolean || value instanceof Long || value instanceof Integer
                || value instanceof Short || value instanceof Byte) {
            out.append(value);
        } else if (value instanceof Double || value instanceof Float) {
            double d = ((Number) value).doubleValue();
            if (!Double.isFinite(d)) {
                throw new IllegalArgumentException("JSON has no " + d + "; only finite numbers can be written");
            }
            out.append(d);
        } else if (value instanceof Map<?, ?> map) {
            out.append('{');
            boolean first = true;
            for (Map.Entry<?, ?> entry : map.entrySet()) {
                if (!(entry.getKey() instanceof String key)) {
                    throw new IllegalArgumentException("JSON object keys must be strings, got " + entry.getKey());
                }
                if (!first) {
                    out.append(',');
                }
                first = false;
                out.append(quote(key)).append(':');
                write(entry.getValue(), out);
            }
            out.append('}');
        } else if (value instanceof List<?> list) {
            out.append('[');
            for (int i = 0; i < list.size(); i++) {
                if (i > 0) {
                    out.append(',');
                }
                write(list.get(i), out);
            }
            out.append(']');
        } else {
            throw new IllegalArgumentException("JsonCodec cannot write a " + value.getClass().getName()
                    + "; use a Map, List, String, Long, Double, Boolean or null");
        }
    }

    /** {@code text} as a JSON string literal, quotes included; control characters are escaped. */
    public static String quote(String text) {
        StringBuilder out = new StringBuilder(text.length() + 2).append('"');
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            switch (c) {
                case '"' -> out.append("\\\"");
                case '\\' -> out.append("\\\\");
                case '\n' -> out.append("\\n");
                case '\r' -> out.append("\\r");
                case '\t' -> out.append("\\t");
                default -> {
                    if (c < 0x20 || c == 0x7f || Character.isSurrogate(c)) {
                        out.append(String.format(Locale.ROOT, "\\u%04x", (int) c));
                    } else {
                        out.append(c);
                    }
                }
            }
        }
        return out.append('"').toString();
    }

    /** Text that is not valid JSON, or JSON that breaks a limit; the message gives the offset. */
    public static final class SyntaxException extends Exception {

        private static final long serialVersionUID = 1L;

        private final int offset;

        /** A problem at character {@code offset} of the text. */
        public SyntaxException(int offset, String problem) {
            super("invalid JSON at character " + offset + ": " + problem);
            this.offset = offset;
        }

        /** The character offset of the problem. */
        public int offset() {
            return offset;
        }
    }
}
