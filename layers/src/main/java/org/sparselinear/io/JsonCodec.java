package org.sparselinear.io;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonFactoryBuilder;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.SerializableString;
import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.core.exc.StreamConstraintsException;
import com.fasterxml.jackson.core.io.CharacterEscapes;
import com.fasterxml.jackson.core.io.SerializedString;
import com.fasterxml.jackson.core.util.DefaultIndenter;
import com.fasterxml.jackson.core.util.DefaultPrettyPrinter;
import com.fasterxml.jackson.core.util.Separators;
import java.io.IOException;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The library's JSON: a strict parser and a compact or indented writer for the headers and
 * metadata of model files and the records the command-line tools write, on Jackson's streaming
 * core. It is meant for untrusted input: nesting is limited to {@value #MAX_DEPTH} levels, each
 * part of a number (integer, fraction, exponent) to {@value #MAX_NUMBER_DIGITS} digits and a
 * text (so any string in it) to {@value #MAX_TEXT_CHARS} characters (Jackson's
 * {@link StreamReadConstraints}); duplicate object keys, NaN, infinities and numbers too large
 * for a {@code double} are errors, and every problem is a {@link SyntaxException} that gives the
 * character offset.
 *
 * <p>Values map as follows: object to a {@link LinkedHashMap} (keys in file order), array to a
 * {@link List}, string to {@link String}, {@code true}/{@code false} to {@link Boolean},
 * {@code null} to {@code null}, a number without fraction or exponent that fits in a
 * {@code long} to {@link Long}, any other number to the nearest {@link Double}. The writers take
 * the same types ({@link Integer}, {@link Short}, {@link Byte} and {@link Float} too) and write
 * doubles in their shortest round-trip form, so a {@code double} or {@code long} survives a write
 * and a parse exactly.
 */
public final class JsonCodec {

    /** The deepest nesting of arrays and objects accepted. */
    public static final int MAX_DEPTH = 64;

    /** The most digits accepted in each part of a number: integer, fraction and exponent. */
    public static final int MAX_NUMBER_DIGITS = 400;

    /**
     * The longest text accepted, in characters: the limit of a safetensors header
     * ({@link SafeTensors#MAX_HEADER_BYTES}), which no string inside it can exceed either.
     */
    public static final int MAX_TEXT_CHARS = (int) SafeTensors.MAX_HEADER_BYTES;

    private static final JsonFactory FACTORY = new JsonFactoryBuilder()
            .streamReadConstraints(StreamReadConstraints.builder()
                    .maxNestingDepth(MAX_DEPTH)
                    .maxNumberLength(MAX_NUMBER_DIGITS)
                    .maxStringLength(MAX_TEXT_CHARS)
                    .maxNameLength(MAX_TEXT_CHARS)
                    .maxDocumentLength(MAX_TEXT_CHARS)
                    .build())
            // Hostile keys must not fill the JVM's string pool.
            .disable(JsonFactory.Feature.INTERN_FIELD_NAMES)
            .characterEscapes(new Escapes())
            .build();

    /** Two-space indent, a line per entry, "key": value, and [] / {} when empty. */
    private static final DefaultPrettyPrinter PRETTY = new DefaultPrettyPrinter(Separators.createDefaultInstance()
                    .withObjectFieldValueSpacing(Separators.Spacing.AFTER)
                    .withObjectEmptySeparator("")
                    .withArrayEmptySeparator(""))
            .withObjectIndenter(new DefaultIndenter("  ", "\n"))
            .withArrayIndenter(new DefaultIndenter("  ", "\n"));

    private JsonCodec() {}

    /**
     * Parses one JSON value; whitespace may surround it, nothing else may follow it.
     *
     * @throws SyntaxException naming the offset and the problem
     */
    public static Object parse(String text) throws SyntaxException {
        try (JsonParser parser = FACTORY.createParser(text)) {
            return document(parser, text);
        } catch (JsonProcessingException e) {
            throw new SyntaxException(offset(e.getLocation()), withoutJacksonDetails(e.getOriginalMessage()));
        } catch (IOException e) {
            throw new UncheckedIOException("reading a String cannot fail", e);
        }
    }

    /**
     * {@code value} as compact JSON.
     *
     * @throws IllegalArgumentException for a type the writer does not know, a non-finite
     *         number or a null object key
     */
    public static String write(Object value) {
        return write(value, false);
    }

    /**
     * {@code value} as JSON indented for people to read (two spaces per level, one line per entry,
     * no trailing newline), for records that people and scripts read. Unlike {@link #write}, a
     * NaN or infinite number is written as {@code null}: a record says "no value" where a
     * quantity could not be measured or diverged, instead of refusing to be written.
     *
     * @throws IllegalArgumentException for a type the writer does not know or a null object key
     */
    public static String writeIndented(Object value) {
        return write(value, true);
    }

    /** {@code text} as a JSON string literal, quotes included; control characters are escaped. */
    public static String quote(String text) {
        StringWriter out = new StringWriter(text.length() + 2);
        try (JsonGenerator generator = FACTORY.createGenerator(out)) {
            generator.writeString(text);
        } catch (IOException e) {
            throw new UncheckedIOException("writing to a String cannot fail", e);
        }
        return out.toString();
    }

    // ---- parser ---------------------------------------------------------------------------

    /** The one value of the whole text. */
    private static Object document(JsonParser parser, String text) throws IOException, SyntaxException {
        try {
            if (parser.nextToken() == null) {
                throw new SyntaxException(text.length(), "unexpected end of text, expected a value");
            }
            Object value = value(parser);
            if (parser.nextToken() != null) {
                throw new SyntaxException(
                        offset(parser.currentTokenLocation()),
                        "unexpected '" + parser.getText() + "' after the value; a text holds one value");
            }
            return value;
        } catch (StreamConstraintsException e) {
            // Thrown without a location: the open parser's position is where the limit was crossed.
            throw new SyntaxException(
                    offset(parser.currentLocation()),
                    "the text breaks a limit of this reader: " + withoutJacksonDetails(e.getOriginalMessage()));
        }
    }

    /** The value that starts at the parser's current token; leaves the parser on its last token. */
    private static Object value(JsonParser parser) throws IOException, SyntaxException {
        JsonToken token = parser.currentToken();
        return switch (token) {
            case START_OBJECT -> object(parser);
            case START_ARRAY -> array(parser);
            case VALUE_STRING -> parser.getText();
            case VALUE_TRUE -> Boolean.TRUE;
            case VALUE_FALSE -> Boolean.FALSE;
            case VALUE_NULL -> null;
            case VALUE_NUMBER_INT -> integer(parser);
            case VALUE_NUMBER_FLOAT -> finite(parser, parser.getDoubleValue());
            default ->
                throw new SyntaxException(
                        offset(parser.currentTokenLocation()), "unexpected " + token + ", expected a value");
        };
    }

    private static Map<String, Object> object(JsonParser parser) throws IOException, SyntaxException {
        Map<String, Object> map = new LinkedHashMap<>();
        while (parser.nextToken() == JsonToken.FIELD_NAME) {
            String key = parser.currentName();
            int keyAt = offset(parser.currentTokenLocation());
            parser.nextToken();
            Object item = value(parser);
            if (map.containsKey(key)) {
                throw new SyntaxException(keyAt, "duplicate key " + quote(key));
            }
            map.put(key, item);
        }
        return map;
    }

    private static List<Object> array(JsonParser parser) throws IOException, SyntaxException {
        List<Object> list = new ArrayList<>();
        while (parser.nextToken() != JsonToken.END_ARRAY) {
            list.add(value(parser));
        }
        return list;
    }

    /** A {@link Long} when the integer fits one, else the nearest double (refused when infinite). */
    private static Object integer(JsonParser parser) throws IOException, SyntaxException {
        if (parser.getNumberType() == JsonParser.NumberType.BIG_INTEGER) {
            return finite(parser, parser.getBigIntegerValue().doubleValue());
        }
        return parser.getLongValue();
    }

    private static Double finite(JsonParser parser, double value) throws IOException, SyntaxException {
        if (Double.isInfinite(value)) {
            throw new SyntaxException(
                    offset(parser.currentTokenLocation()), "number " + parser.getText() + " is too large for a double");
        }
        return value;
    }

    /**
     * Jackson's message without what means nothing to the reader of a model file: where the
     * enclosing array or object started ("[Source: REDACTED ...]"), which
     * {@link StreamReadConstraints} getter holds a limit, and which Jackson feature would accept
     * the input.
     */
    private static String withoutJacksonDetails(String message) {
        return message.replaceAll("\\s*\\([^()]*\\[Source: [^\\]]*\\]\\)", "")
                .replaceAll(", from `StreamReadConstraints\\.[A-Za-z]+\\(\\)`", "")
                .replaceAll(": enable `[^`]+` to allow", "")
                .replaceAll("end-of-input:? ?", "end of text: ");
    }

    private static int offset(JsonLocation location) {
        return location == null || location.getCharOffset() < 0 ? 0 : (int) location.getCharOffset();
    }

    // ---- writer ---------------------------------------------------------------------------

    private static String write(Object value, boolean indented) {
        StringWriter out = new StringWriter();
        try (JsonGenerator generator = FACTORY.createGenerator(out)) {
            if (indented) {
                generator.setPrettyPrinter(PRETTY.createInstance()); // it counts the nesting: one per write
            }
            write(value, generator, indented);
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException("cannot write this value as JSON: " + e.getOriginalMessage(), e);
        } catch (IOException e) {
            throw new UncheckedIOException("writing to a String cannot fail", e);
        }
        return out.toString();
    }

    private static void write(Object value, JsonGenerator out, boolean nonFiniteAsNull) throws IOException {
        if (value == null) {
            out.writeNull();
        } else if (value instanceof String s) {
            out.writeString(s);
        } else if (value instanceof Boolean b) {
            out.writeBoolean(b);
        } else if (value instanceof Long
                || value instanceof Integer
                || value instanceof Short
                || value instanceof Byte) {
            out.writeNumber(((Number) value).longValue());
        } else if (value instanceof Double || value instanceof Float) {
            double d = ((Number) value).doubleValue();
            if (Double.isFinite(d)) {
                out.writeNumber(d);
            } else if (nonFiniteAsNull) {
                out.writeNull();
            } else {
                throw new IllegalArgumentException("JSON has no " + d + "; only finite numbers can be written");
            }
        } else if (value instanceof Map<?, ?> map) {
            out.writeStartObject();
            for (Map.Entry<?, ?> entry : map.entrySet()) {
                if (!(entry.getKey() instanceof String key)) {
                    throw new IllegalArgumentException("JSON object keys must be strings, got " + entry.getKey());
                }
                out.writeFieldName(key);
                write(entry.getValue(), out, nonFiniteAsNull);
            }
            out.writeEndObject();
        } else if (value instanceof List<?> list) {
            out.writeStartArray();
            for (Object item : list) {
                write(item, out, nonFiniteAsNull);
            }
            out.writeEndArray();
        } else {
            throw new IllegalArgumentException("JsonCodec cannot write a "
                    + value.getClass().getName() + "; use a Map, List, String, Long, Double, Boolean or null");
        }
    }

    /**
     * Beyond what JSON requires (quote, backslash, control characters), escapes DEL, U+2028 and
     * U+2029 (line breaks to JavaScript) and every surrogate, so a lone one, which UTF-8 cannot
     * encode, survives as {@code \}{@code uXXXX}.
     */
    private static final class Escapes extends CharacterEscapes {

        private static final long serialVersionUID = 1L;

        private final int[] ascii = standardAsciiEscapesForJSON();

        Escapes() {
            ascii[0x7f] = ESCAPE_STANDARD;
        }

        @Override
        public int[] getEscapeCodesForAscii() {
            return ascii;
        }

        @Override
        public SerializableString getEscapeSequence(int c) {
            if (c == '\u2028' || c == '\u2029' || Character.isSurrogate((char) c)) {
                return new SerializedString(String.format(Locale.ROOT, "\\u%04X", c));
            }
            return null;
        }
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
