package org.sparselinear.examples;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

class JsonTest {

    @Test
    void quotesAndEscapesEverythingJsonRequires() {
        assertEquals("\"plain\"", Json.quote("plain"));
        assertEquals("\"say \\\"hi\\\"\"", Json.quote("say \"hi\""));
        assertEquals("\"C:\\\\temp\\\\x\"", Json.quote("C:\\temp\\x"));
        assertEquals("\"a\\nb\\rc\\td\\be\\ff\"", Json.quote("a\nb\rc\td\be\ff"));
        assertEquals("\"\\u0000\\u001f\\u007f\"", Json.quote("\u0000\u001f\u007f"));
        assertEquals("\"\\u2028\\u2029\"", Json.quote("\u2028\u2029"));
        assertEquals("\"/ stays\"", Json.quote("/ stays"));
        assertEquals("\"caf\u00e9 \uD83D\uDE00\"", Json.quote("caf\u00e9 \uD83D\uDE00"), "valid non-ASCII text is kept");
        assertEquals("\"\\ud800x\"", Json.quote("\uD800x"), "a lone surrogate is escaped");
    }

    @Test
    void writesNumbersAndLiterals() {
        assertEquals("42", Json.write(42));
        assertEquals("-7", Json.write(-7L));
        assertEquals("0.9", Json.write(0.9));
        assertEquals("0.1", Json.write(0.1f), "a float keeps its own shortest form");
        assertEquals("1.0E-4", Json.write(1e-4));
        assertEquals("null", Json.write(Double.NaN));
        assertEquals("null", Json.write(Double.POSITIVE_INFINITY));
        assertEquals("null", Json.write(Float.NEGATIVE_INFINITY));
        assertEquals("true", Json.write(true));
        assertEquals("null", Json.write(null));
        assertEquals("\"sparse\"", Json.write(ModelKind.sparse));
        assertEquals("{}", Json.write(Map.of()));
        assertEquals("[]", Json.write(List.of()));
    }

    @Test
    void nestedOutputParsesBackToTheSameStructure() {
        Map<String, Object> inner = new LinkedHashMap<>();
        inner.put("name", "line1\nline2 \"quoted\" \\ back\tslash \u0001");
        inner.put("values", new double[] {1.5, -0.25, Double.NaN});
        inner.put("ints", new int[] {1, 2, 3});
        inner.put("empty", new ArrayList<>());
        Map<String, Object> record = new LinkedHashMap<>();
        record.put("format", "test/1");
        record.put("count", 3);
        record.put("ok", false);
        record.put("missing", null);
        record.put("inner", inner);
        record.put("list", List.of(Map.of("a", 1), "two", 3.25));
        record.put("path", Path.of("runs", "x.json"));

        String text = Json.write(record);
        assertTrue(text.startsWith("{\n  \"format\": \"test/1\",\n  \"count\": 3,"), text);
        assertTrue(text.endsWith("\n}"), text);

        Object parsed = MiniJsonParser.parse(text);
        Map<?, ?> map = (Map<?, ?>) parsed;
        assertEquals(List.of("format", "count", "ok", "missing", "inner", "list", "path"), new ArrayList<>(map.keySet()),
                "keys keep their order");
        assertEquals(3.0, map.get("count"));
        assertEquals(false, map.get("ok"));
        assertTrue(map.containsKey("missing"));
        assertEquals(null, map.get("missing"));
        Map<?, ?> parsedInner = (Map<?, ?>) map.get("inner");
        assertEquals(inner.get("name"), parsedInner.get("name"), "strings survive escaping unchanged");
        assertEquals(Arrays.asList(1.5, -0.25, null), parsedInner.get("values"));
        assertEquals(List.of(1.0, 2.0, 3.0), parsedInner.get("ints"));
        assertEquals(List.of(), parsedInner.get("empty"));
        assertEquals(List.of(Map.of("a", 1.0), "two", 3.25), map.get("list"));
        assertEquals(Path.of("runs", "x.json").toString(), map.get("path"));
    }

    @Test
    void refusesWhatItCannotWrite() {
        assertThrows(IllegalArgumentException.class, () -> Json.write(new Object()));
        Map<String, Object> nullKey = new java.util.HashMap<>();
        nullKey.put(null, 1);
        assertThrows(IllegalArgumentException.class, () -> Json.write(nullKey));
    }

    @Test
    void theTestParserRejectsInvalidJson() {
        assertThrows(IllegalArgumentException.class, () -> MiniJsonParser.parse("{\"a\": 1,}"));
        assertThrows(IllegalArgumentException.class, () -> MiniJsonParser.parse("\"raw\nnewline\""));
        assertThrows(IllegalArgumentException.class, () -> MiniJsonParser.parse("[1] x"));
        assertThrows(IllegalArgumentException.class, () -> MiniJsonParser.parse("NaN"));
    }
}
