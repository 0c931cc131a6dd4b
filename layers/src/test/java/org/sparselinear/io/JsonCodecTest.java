package org.sparselinear.io;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The strict JSON codec of model-file headers. */
class JsonCodecTest {

    @Test
    void parsesEveryKindOfValue() throws Exception {
        Object parsed = JsonCodec.parse(" {\"a\": [1, -2, 3.5, 1e3, true, false, null], \"b\": \"x\\n\\u00e9\\\"\", \"c\": {}} ");
        Map<?, ?> map = (Map<?, ?>) parsed;
        assertEquals(List.of("a", "b", "c"), List.copyOf(map.keySet()), "keys keep their order");
        assertEquals(Arrays.asList(1L, -2L, 3.5, 1000.0, true, false, null), map.get("a"));
        assertEquals("x\n\u00e9\"", map.get("b"));
        assertEquals(Map.of(), map.get("c"));
        assertEquals(9223372036854775807L, JsonCodec.parse("9223372036854775807"));
        assertEquals(1e19, JsonCodec.parse("10000000000000000000"), "too large for a long: a double");
    }

    @Test
    void writesWhatItParsesExactly() throws Exception {
        Map<String, Object> value = new LinkedHashMap<>();
        value.put("seed", -7046029254386353131L);
        value.put("rate", 0.1);
        value.put("tiny", Double.MIN_VALUE);
        value.put("text", "tab\tquote\"back\\slash\u0001");
        value.put("list", List.of(1L, 2.5, "s", false));
        value.put("none", null);
        assertEquals(value, JsonCodec.parse(JsonCodec.write(value)));
        assertNull(JsonCodec.parse("null"));
    }

    @Test
    void writerRejectsWhatJsonCannotHold() {
        assertThrows(IllegalArgumentException.class, () -> JsonCodec.write(Double.NaN));
        assertThrows(IllegalArgumentException.class, () -> JsonCodec.write(new Object()));
        Map<Object, Object> badKey = new LinkedHashMap<>();
        badKey.put(1, "x");
        assertThrows(IllegalArgumentException.class, () -> JsonCodec.write(badKey));
    }

    @Test
    void rejectsInvalidTextWithTheOffset() {
        String[][] cases = {
            {"", "end of text"},
            {"{", "expected a string key"},
            {"{\"a\" 1}", "expected ':'"},
            {"{\"a\":1,}", "expected a string key"},
            {"[1 2]", "expected ',' or ']'"},
            {"\"abc", "unterminated string"},
            {"\"a\u0001\"", "control character"},
            {"\"\\x\"", "unknown escape"},
            {"\"\\u12\"", "four hexadecimal digits"},
            {"01", "after the value"},
            {"-", "digits after '-'"},
            {"1.", "digits after '.'"},
            {"1e", "exponent"},
            {"tru", "expected a value"},
            {"{\"a\":1,\"a\":2}", "duplicate key \"a\""},
            {"1e999", "too large for a double"},
            {"[] []", "after the value"},
        };
        for (String[] c : cases) {
            JsonCodec.SyntaxException e = assertThrows(JsonCodec.SyntaxException.class, () -> JsonCodec.parse(c[0]),
                    c[0]);
            assertTrue(e.getMessage().contains(c[1]), c[0] + " -> " + e.getMessage());
            assertTrue(e.getMessage().startsWith("invalid JSON at character " + e.offset()), e.getMessage());
        }
    }

    @Test
    void limitsNestingSoHostileInputCannotOverflowTheStack() {
        String deep = "[".repeat(100_000) + "]".repeat(100_000);
        JsonCodec.SyntaxException e = assertThrows(JsonCodec.SyntaxException.class, () -> JsonCodec.parse(deep));
        assertTrue(e.getMessage().contains("deeper than " + JsonCodec.MAX_DEPTH), e.getMessage());
    }
}
