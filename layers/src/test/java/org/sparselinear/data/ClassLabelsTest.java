package org.sparselinear.data;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;

class ClassLabelsTest {

    @Test
    void integerLabelsAreNumberedInNumericOrder() {
        ClassLabels labels = ClassLabels.sorted(List.of("+1", "-1", "10", "2", "1", "-1"));
        assertEquals(List.of("-1", "1", "2", "10"), labels.names());
        assertEquals(1, labels.classOf("+1"));
        assertEquals(1, labels.classOf("01"));
        assertEquals(3, labels.classOf(" 10 "));
        assertEquals(-1, labels.classOf("3"));
        assertFalse(labels.isIdentity());
    }

    @Test
    void textLabelsAreNumberedInTextOrder() {
        ClassLabels labels = ClassLabels.sorted(List.of("b", "10", "a", "2"));
        assertEquals(List.of("10", "2", "a", "b"), labels.names(), "text order once any label is not an integer");
        assertEquals(2, labels.classOf("a"));
        assertEquals("b", labels.name(3));
    }

    @Test
    void labelsZeroToKMinusOneAreTheIdentity() {
        ClassLabels labels = ClassLabels.sorted(List.of("2", "0", "1"));
        assertTrue(labels.isIdentity());
        assertEquals(2, labels.classOf("2"));
        assertFalse(ClassLabels.sorted(List.of("0", "2")).isIdentity(), "a missing class 1 renumbers 2");
    }

    @Test
    void givenLabelsKeepTheirOrderAndMustBeDistinct() {
        ClassLabels labels = ClassLabels.of(List.of("spam", "ham"));
        assertEquals(0, labels.classOf("spam"));
        assertEquals(labels, ClassLabels.of(List.of("spam", "ham")));
        IllegalArgumentException e =
                assertThrows(IllegalArgumentException.class, () -> ClassLabels.of(List.of("1", "+1")));
        assertTrue(e.getMessage().contains("'1' is given twice"), e.getMessage());
        assertEquals(0, ClassLabels.none().size());
    }
}
