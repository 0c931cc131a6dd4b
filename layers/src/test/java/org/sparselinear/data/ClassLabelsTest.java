package org.sparselinear.data;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.OptionalLong;
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
    void integersWrittenAsDecimalsAreThoseIntegers() {
        ClassLabels labels = ClassLabels.sorted(List.of("1.0", "10.0", "2.0", "+2", "1e0"));
        assertEquals(List.of("1", "2", "10"), labels.names(), "numeric order, one class per integer");
        assertEquals(0, labels.classOf("1"));
        assertEquals(0, labels.classOf("01.00"));
        assertEquals(2, labels.classOf("1e1"));
        assertEquals(2, labels.classOf(" 10 "));
        assertEquals("10", ClassLabels.canonical("0.1e2"));
        assertEquals("0", ClassLabels.canonical("-0.0"));
        assertEquals("-3", ClassLabels.canonical("-3.000"));

        assertEquals(OptionalLong.of(10), ClassLabels.integer("1e1"));
        assertEquals(OptionalLong.empty(), ClassLabels.integer("0.37"));
        assertEquals(OptionalLong.empty(), ClassLabels.integer("1e16"), "beyond 10^15 with an exponent");
        assertEquals(OptionalLong.empty(), ClassLabels.integer("setosa"));
        assertTrue(ClassLabels.isNumber("0.37"));
        assertTrue(ClassLabels.isNumber("-.5"));
        for (String name : List.of("setosa", "1st", "NaN", "Infinity", "1.0f", "2d", "0x1p3", "-", "")) {
            assertFalse(ClassLabels.isNumber(name), name);
            assertEquals(OptionalLong.empty(), ClassLabels.integer(name), name);
            assertEquals(name, ClassLabels.canonical(name), "a name stays as written: " + name);
        }
    }

    @Test
    void textLabelsAreNumberedInTextOrder() {
        ClassLabels labels = ClassLabels.sorted(List.of("b", "10", "a", "2"));
        assertEquals(List.of("10", "2", "a", "b"), labels.names(), "text order once any label is not an integer");
        assertEquals(
                List.of("1", "cat"),
                ClassLabels.sorted(List.of("cat", "1.0")).names(),
                "text order with names, an integral decimal still written as its integer");
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
