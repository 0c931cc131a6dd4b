package org.sparselinear.spi;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Map;
import java.util.OptionalDouble;
import java.util.OptionalInt;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.function.Executable;

class TopologyParametersTest {

    private static TopologyParameters band(Map<String, ?> given) {
        return TopologyParameters.of("band", given, Set.of("width", "scale", "labels"));
    }

    @Test
    void numbersComeFromAnyNumberTypeOrAString() {
        assertEquals(OptionalDouble.of(2.5), band(Map.of("scale", 2.5f)).number("scale"));
        assertEquals(OptionalDouble.of(3), band(Map.of("scale", 3L)).number("scale"));
        assertEquals(OptionalDouble.of(0.25), band(Map.of("scale", " 0.25 ")).number("scale"));
        assertEquals(OptionalInt.of(7), band(Map.of("width", "7")).wholeNumber("width", 1, 10));
        assertEquals(OptionalInt.of(7), band(Map.of("width", 7.0)).wholeNumber("width", 1, 10));
    }

    @Test
    void absentParametersAreEmpty() {
        TopologyParameters none = band(Map.of());
        assertEquals(OptionalDouble.empty(), none.number("scale", 0, 1));
        assertEquals(OptionalInt.empty(), none.wholeNumber("width", 1, 10));
        assertFalse(none.has("labels"));
        assertNull(none.value("labels"));
        int[] labels = {1, 2};
        assertTrue(band(Map.of("labels", labels)).has("labels"));
        assertEquals(labels, band(Map.of("labels", labels)).value("labels"));
    }

    @Test
    void unknownNamesAreListedWithTheAcceptedOnes() {
        assertMessage(
                () -> band(Map.of("widht", 3, "scale", 1, "zoom", 2)),
                "topology 'band' does not take the parameter(s) [widht, zoom]; it accepts [labels, scale, width]");
        assertMessage(
                () -> TopologyParameters.of("plain", Map.of("x", 1), Set.of()),
                "topology 'plain' does not take the parameter(s) [x]; it accepts none");
    }

    @Test
    void badValuesNameTheTopologyTheParameterAndWhatWasGiven() {
        assertMessage(
                () -> band(Map.of("scale", "big")).number("scale"),
                "topology 'band': parameter 'scale' must be a finite number, got String big");
        assertMessage(
                () -> band(Map.of("scale", Double.NaN)).number("scale"), "must be a finite number, got Double NaN");
        assertMessage(() -> band(Map.of("scale", true)).number("scale"), "must be a finite number, got Boolean true");
        assertMessage(
                () -> band(Map.of("scale", 1.5)).number("scale", 0, 1),
                "topology 'band': parameter 'scale' must be in [0, 1], got Double 1.5");
        assertMessage(
                () -> band(Map.of("scale", -1)).number("scale", 0.5, Double.POSITIVE_INFINITY),
                "parameter 'scale' must be >= 0.5, got Integer -1");
        assertMessage(
                () -> band(Map.of("width", 2.5)).wholeNumber("width", 1, 10),
                "topology 'band': parameter 'width' must be a whole number, got Double 2.5");
        assertMessage(
                () -> band(Map.of("width", "wide")).wholeNumber("width", 1, 10),
                "parameter 'width' must be a whole number, got String wide");
        assertMessage(
                () -> band(Map.of("width", 11)).wholeNumber("width", 1, 10),
                "parameter 'width' must be a whole number in [1, 10], got Integer 11");
        assertMessage(
                () -> band(Map.of("width", 0)).wholeNumber("width", 1, Integer.MAX_VALUE),
                "parameter 'width' must be a whole number >= 1, got Integer 0");
        assertMessage(
                () -> band(Map.of("width", 1e10)).wholeNumber("width", 1, Integer.MAX_VALUE),
                "must be a whole number >= 1, got Double 1.0E10");
    }

    private static void assertMessage(Executable call, String expected) {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, call);
        assertTrue(e.getMessage().contains(expected), () -> "expected '" + expected + "' in: " + e.getMessage());
    }
}
