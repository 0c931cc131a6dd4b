package org.sparselinear.spi;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.function.Executable;
import org.sparselinear.api.Backend;
import org.sparselinear.api.DenseMatrix;

class ChecksTest {

    /** Enough of a matrix for the shape checks. */
    private record FakeMatrix(int rows, int columns, boolean isClosed) implements DenseMatrix {

        FakeMatrix(int rows, int columns) {
            this(rows, columns, false);
        }

        @Override
        public Backend backend() {
            throw new AssertionError("the checks must not touch the backend");
        }

        @Override
        public void close() {
            throw new AssertionError("the checks must not close anything");
        }
    }

    @Test
    void positive() {
        assertEquals(3, Checks.positive(3, "batch"));
        assertMessage(() -> Checks.positive(0, "batch"), "batch must be positive, got 0");
        assertMessage(() -> Checks.positive(-5, "in"), "in must be positive, got -5");
    }

    @Test
    void nonNegative() {
        assertEquals(0, Checks.nonNegative(0, "k"));
        assertMessage(() -> Checks.nonNegative(-1, "k"), "k must be >= 0, got -1");
    }

    @Test
    void positiveFinite() {
        assertEquals(0.5f, Checks.positiveFinite(0.5, "lr"));
        assertMessage(() -> Checks.positiveFinite(0, "lr"), "lr must be finite and > 0, got 0.0");
        assertMessage(() -> Checks.positiveFinite(-1, "lr"), "got -1.0");
        assertMessage(() -> Checks.positiveFinite(Double.NaN, "lr"), "got NaN");
        assertMessage(() -> Checks.positiveFinite(Double.POSITIVE_INFINITY, "lr"), "got Infinity");
    }

    @Test
    void nonNegativeFinite() {
        assertEquals(0f, Checks.nonNegativeFinite(0, "weight decay"));
        assertMessage(
                () -> Checks.nonNegativeFinite(-0.1, "weight decay"), "weight decay must be finite and >= 0, got -0.1");
        assertMessage(() -> Checks.nonNegativeFinite(Double.NaN, "weight decay"), "got NaN");
        assertMessage(() -> Checks.nonNegativeFinite(Double.POSITIVE_INFINITY, "weight decay"), "got Infinity");
    }

    @Test
    void inRangeIncludesLowAndExcludesHigh() {
        assertEquals(0.0, Checks.inRange(0.0, 0, 1, "momentum"));
        assertMessage(() -> Checks.inRange(1.0, 0, 1, "momentum"), "momentum must be in [0.0, 1.0), got 1.0");
        assertMessage(() -> Checks.inRange(Double.NaN, 0, 1, "momentum"), "got NaN");
        assertMessage(() -> Checks.inRange(-0.5, 0, 1, "momentum"), "got -0.5");
    }

    @Test
    void sparsity() {
        assertEquals(0.0, Checks.sparsity(0));
        assertEquals(0.999, Checks.sparsity(0.999));
        assertMessage(() -> Checks.sparsity(1), "sparsity must be in [0, 1)", "0 is dense", "got 1.0");
        assertMessage(() -> Checks.sparsity(-0.01), "got -0.01");
        assertMessage(() -> Checks.sparsity(Double.NaN), "got NaN");
    }

    @Test
    void shapeNamesBothShapes() {
        Checks.shape(new FakeMatrix(2, 3), 2, 3, "input");
        assertMessage(
                () -> Checks.shape(new FakeMatrix(2, 3), 2, 4, "input"), "input: expected shape (2, 4), got (2, 3)");
        assertMessage(() -> Checks.shape(new FakeMatrix(5, 3), 2, 3, "input"), "expected shape (2, 3), got (5, 3)");
    }

    @Test
    void sameShapeNamesBothShapes() {
        Checks.sameShape(new FakeMatrix(2, 3), new FakeMatrix(2, 3), "target");
        assertMessage(
                () -> Checks.sameShape(new FakeMatrix(2, 3), new FakeMatrix(3, 2), "target"),
                "target: shapes must match, got (2, 3) and (3, 2)");
    }

    @Test
    void openRejectsClosedResourcesAndSaysWhatToDo() {
        Checks.open(new FakeMatrix(1, 1), "weights");
        IllegalStateException e =
                assertThrows(IllegalStateException.class, () -> Checks.open(new FakeMatrix(1, 1, true), "weights"));
        assertEquals(
                "weights was already closed (its memory scope ended); keep it with MemoryScope.keep or allocate "
                        + "it outside the scope",
                e.getMessage());
    }

    private static void assertMessage(Executable call, String... expected) {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, call);
        for (String part : expected) {
            assertTrue(e.getMessage().contains(part), () -> "expected '" + part + "' in: " + e.getMessage());
        }
    }
}
