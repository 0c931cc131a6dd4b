package org.sparselinear.io;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.math.BigDecimal;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** The strict JSON codec of model-file headers and run records. */
class JsonCodecTest {

    @Test
    void parsesEveryKindOfValue() throws Exception {
        Object parsed = JsonCodec.parse(
                " {\"a\": [1, -2, 3.5, 1e3, true, false, null], \"b\": \"x\\n\\u00e9\\\"\", \"c\": {}} ");
        Map<?, ?> map = (Map<?, ?>) parsed;
        assertEquals(List.of("a", "b", "c"), List.copyOf(map.keySet()), "keys keep their order");
        assertEquals(Arrays.asList(1L, -2L, 3.5, 1000.0, true, false, null), map.get("a"));
        assertEquals("x\n\u00e9\"", map.get("b"));
        assertEquals(Map.of(), map.get("c"));
        assertEquals(9223372036854775807L, JsonCodec.parse("9223372036854775807"));
        assertEquals(1e19, JsonCodec.parse("10000000000000000000"), "too large for a long: a double");
    }

    @Test
    void integersAreLongsWhenTheyFitAndTheNearestDoubleOtherwise() throws Exception {
        assertEquals(Long.MIN_VALUE, JsonCodec.parse("-9223372036854775808"));
        assertEquals(0L, JsonCodec.parse("-0"));
        assertEquals(9007199254740993L, JsonCodec.parse("9007199254740993"), "2^53 + 1 stays exact as a long");
        assertEquals(9.223372036854775808e18, JsonCodec.parse("9223372036854775808"));
        String huge = "123456789012345678901234567890123456789";
        assertEquals(new BigDecimal(huge).doubleValue(), JsonCodec.parse(huge));
        assertEquals(new BigDecimal("-" + huge).doubleValue(), JsonCodec.parse("-" + huge));
    }

    @Test
    void decimalsAreTheCorrectlyRoundedDouble() throws Exception {
        String[] literals = {
            "0.1",
            "1e23",
            "2.2250738585072011e-308",
            "4.9e-324",
            "2e-324",
            "1.7976931348623157e308",
            "0.30000000000000004",
            "123456789.123456789e-5",
            "1E+2",
            "1e-400"
        };
        for (String literal : literals) {
            assertEquals(new BigDecimal(literal).doubleValue(), JsonCodec.parse(literal), literal);
        }
        assertEquals(
                Double.doubleToRawLongBits(-0.0),
                Double.doubleToRawLongBits((Double) JsonCodec.parse("-0.0")),
                "the sign of zero is kept (a BigDecimal would lose it)");
    }

    @Test
    void writesWhatItParsesExactly() throws Exception {
        Map<String, Object> value = new LinkedHashMap<>();
        value.put("seed", -7046029254386353131L);
        value.put("rate", 0.1);
        value.put("tiny", Double.MIN_VALUE);
        value.put("text", "tab\tquote\"back\\slash\u0001 lone \uD800 pair \uD83D\uDE00 line \u2028");
        value.put("list", List.of(1L, 2.5, "s", false));
        value.put("none", null);
        assertEquals(value, JsonCodec.parse(JsonCodec.write(value)));
        assertEquals(value, JsonCodec.parse(JsonCodec.writeIndented(value)));
        assertNull(JsonCodec.parse("null"));
    }

    @Test
    void everyDoubleAndLongSurvivesAWriteAndAParse() throws Exception {
        Random random = new Random(42);
        for (int i = 0; i < 10_000; i++) {
            double d = Double.longBitsToDouble(random.nextLong());
            if (Double.isFinite(d)) {
                assertEquals(d, JsonCodec.parse(JsonCodec.write(d)), "bits " + Double.doubleToRawLongBits(d));
            }
            long l = random.nextLong();
            assertEquals(l, JsonCodec.parse(JsonCodec.write(l)));
        }
        assertEquals(0.1f, ((Double) JsonCodec.parse(JsonCodec.write(0.1f))).floatValue(), "a float survives too");
        assertEquals(42L, JsonCodec.parse(JsonCodec.write(42)), "an int is written as an integer");
    }

    @Test
    void quotesWithTheEscapesJsonNeedsAndLoneSurrogatesSafe() {
        assertEquals("\"plain / caf\u00e9\"", JsonCodec.quote("plain / caf\u00e9"));
        assertEquals("\"say \\\"hi\\\" C:\\\\x\"", JsonCodec.quote("say \"hi\" C:\\x"));
        assertEquals("\"a\\nb\\rc\\td\\be\\f\"", JsonCodec.quote("a\nb\rc\td\be\f"));
        assertEquals("\"\\u0000\\u001F\\u007F\\u2028\\u2029\"", JsonCodec.quote("\u0000\u001f\u007f\u2028\u2029"));
        assertEquals(
                "\"\\uD800x\"", JsonCodec.quote("\uD800x"), "a lone surrogate, which UTF-8 cannot hold, is escaped");
    }

    @Test
    void writesIndentedRecordsWithNonFiniteNumbersAsNull() throws Exception {
        Map<String, Object> record = new LinkedHashMap<>();
        record.put("format", "test/1");
        record.put("count", 3);
        record.put("loss", Double.NaN);
        record.put("empty", List.of());
        record.put("nothing", Map.of());
        record.put("values", List.of(1.5, Double.POSITIVE_INFINITY, Map.of("a", 1)));
        assertEquals("""
                {
                  "format": "test/1",
                  "count": 3,
                  "loss": null,
                  "empty": [],
                  "nothing": {},
                  "values": [
                    1.5,
                    null,
                    {
                      "a": 1
                    }
                  ]
                }""", JsonCodec.writeIndented(record));
        assertEquals("null", JsonCodec.writeIndented(Float.NEGATIVE_INFINITY));
    }

    @Test
    void writersRejectWhatJsonCannotHold() {
        assertThrows(IllegalArgumentException.class, () -> JsonCodec.write(Double.NaN));
        assertThrows(IllegalArgumentException.class, () -> JsonCodec.write(List.of(Float.POSITIVE_INFINITY)));
        for (boolean indented : new boolean[] {false, true}) {
            var unknown = assertThrows(IllegalArgumentException.class, () -> write(new Object(), indented));
            assertTrue(unknown.getMessage().contains("java.lang.Object"), unknown.getMessage());
            Map<Object, Object> badKey = new LinkedHashMap<>();
            badKey.put(1, "x");
            assertThrows(IllegalArgumentException.class, () -> write(badKey, indented));
            Map<String, Object> nullKey = new java.util.HashMap<>();
            nullKey.put(null, 1);
            assertThrows(IllegalArgumentException.class, () -> write(nullKey, indented));
        }
    }

    private static String write(Object value, boolean indented) {
        return indented ? JsonCodec.writeIndented(value) : JsonCodec.write(value);
    }

    @Test
    void rejectsInvalidTextWithTheOffset() {
        String[][] cases = {
            {"", "0", "end of text"},
            {"{", "1", "end of text"},
            {"{\"a\" 1}", "5", "colon"},
            {"{\"a\":1,}", "7", "double-quote to start field name"},
            {"[1 2]", "3", "comma"},
            {"[1,]", "3", "expected a valid value"},
            {"\"abc", "4", "closing quote"},
            {"\"a\u0001\"", "2", "CTRL-CHAR"},
            {"\"\\x\"", "2", "escape 'x'"},
            {"\"\\u12\"", "5", "hex-digit"},
            {"01", "1", "Leading zeroes"},
            {"-", "1", "No digit following sign"},
            {"1.", "1", "Decimal point not followed by a digit"},
            {"1e", "2", "exponent"},
            {"tru", "0", "token 'tru'"},
            {"NaN", "3", "'NaN'"},
            {"-Infinity", "9", "'-Infinity'"},
            {"{\"a\":1,\"a\":2}", "7", "duplicate key \"a\""},
            {"1e999", "0", "too large for a double"},
            {"-1" + "0".repeat(310), "0", "too large for a double"},
            {"[] []", "3", "after the value"},
            {"{\"a\":[{\"b\":1}, 2]]", "17", "close marker ']'"},
        };
        for (String[] c : cases) {
            JsonCodec.SyntaxException e =
                    assertThrows(JsonCodec.SyntaxException.class, () -> JsonCodec.parse(c[0]), c[0]);
            assertEquals(Integer.parseInt(c[1]), e.offset(), c[0] + " -> " + e.getMessage());
            assertTrue(e.getMessage().startsWith("invalid JSON at character " + e.offset() + ": "), e.getMessage());
            assertTrue(e.getMessage().contains(c[2]), c[0] + " -> " + e.getMessage());
            for (String internal : List.of("Source:", "StreamReadConstraints", "JsonReadFeature", "end-of-input")) {
                assertFalse(e.getMessage().contains(internal), "no Jackson internals: " + e.getMessage());
            }
        }
    }

    @Test
    void limitsNestingSoHostileInputCannotOverflowTheStack() throws Exception {
        String deepest = "[".repeat(JsonCodec.MAX_DEPTH) + "]".repeat(JsonCodec.MAX_DEPTH);
        assertTrue(JsonCodec.parse(deepest) instanceof List<?>, "exactly the limit is accepted");
        String deep = "[".repeat(100_000) + "]".repeat(100_000);
        JsonCodec.SyntaxException e = assertThrows(JsonCodec.SyntaxException.class, () -> JsonCodec.parse(deep));
        assertTrue(
                e.getMessage()
                        .contains("nesting depth (" + (JsonCodec.MAX_DEPTH + 1) + ") exceeds the maximum allowed ("
                                + JsonCodec.MAX_DEPTH + ")"),
                e.getMessage());
        assertEquals(JsonCodec.MAX_DEPTH + 1, e.offset(), "points at the bracket that went too deep");
        String objects = "{\"a\":".repeat(JsonCodec.MAX_DEPTH + 1) + "1" + "}".repeat(JsonCodec.MAX_DEPTH + 1);
        assertThrows(JsonCodec.SyntaxException.class, () -> JsonCodec.parse(objects));
    }

    @Test
    void limitsTheDigitsOfANumber() throws Exception {
        String longest = "1." + "0".repeat(JsonCodec.MAX_NUMBER_DIGITS);
        assertEquals(1.0, JsonCodec.parse(longest));
        for (String tooLong : List.of(
                "9".repeat(JsonCodec.MAX_NUMBER_DIGITS + 1),
                "1." + "0".repeat(JsonCodec.MAX_NUMBER_DIGITS + 1),
                "1e" + "0".repeat(JsonCodec.MAX_NUMBER_DIGITS + 1))) {
            JsonCodec.SyntaxException e = assertThrows(JsonCodec.SyntaxException.class, () -> JsonCodec.parse(tooLong));
            assertTrue(
                    e.getMessage().contains("breaks a limit")
                            && e.getMessage()
                                    .contains("exceeds the maximum allowed (" + JsonCodec.MAX_NUMBER_DIGITS + ")"),
                    e.getMessage());
        }
    }
}
