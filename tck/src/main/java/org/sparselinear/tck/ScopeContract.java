package org.sparselinear.tck;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.function.BiConsumer;
import java.util.stream.Stream;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.sparselinear.api.Activation;
import org.sparselinear.api.Backend;
import org.sparselinear.api.DenseMatrix;
import org.sparselinear.api.MemoryScope;
import org.sparselinear.api.SparseMatrix;
import org.sparselinear.spi.SgdSettings;
import org.sparselinear.tck.reference.Patterns;

/** Memory scopes: ownership, closing (idempotent), {@code keep}, nesting, and use after close. */
abstract class ScopeContract extends BackendContract {

    /** An operation that receives a closed {@code (2, 3)} matrix. */
    record ClosedUse(String name, BiConsumer<Backend, DenseMatrix> call) {

        @Override
        public String toString() {
            return name;
        }
    }

    static Stream<ClosedUse> closedUses() {
        return Stream.of(
                new ClosedUse("download", Backend::download),
                new ClosedUse("fill", (b, m) -> b.fill(m, 1)),
                new ClosedUse("copy from", (b, m) -> b.copy(m, b.zeros(2, 3))),
                new ClosedUse("copy into", (b, m) -> b.copy(b.zeros(2, 3), m)),
                new ClosedUse("axpy", (b, m) -> b.axpy(1, b.zeros(2, 3), m)),
                new ClosedUse("activate in place", (b, m) -> b.activate(Activation.SIGMOID, m, m)),
                new ClosedUse("gemm input", (b, m) -> b.gemm(m, false, b.zeros(3, 2), false, b.zeros(2, 2), false)),
                new ClosedUse(
                        "spmm input",
                        (b, m) -> b.spmm(b.pattern(Patterns.full(4, 3)), b.zeros(1, 12), m, b.zeros(2, 4))),
                new ClosedUse(
                        "sgdStep parameter",
                        (b, m) -> b.sgdStep(m, b.zeros(2, 3), null, new SgdSettings(0.1f, 0, 0, false))));
    }

    @Test
    @DisplayName("closing a scope closes the matrices and patterns allocated in it")
    void scopeClosesWhatItAllocated() {
        DenseMatrix zeros;
        DenseMatrix uploaded;
        SparseMatrix pattern;
        try (MemoryScope scope = backend().newScope()) {
            zeros = backend().zeros(2, 3);
            uploaded = backend().upload(new float[] {1, 2}, 1, 2);
            pattern = backend().pattern(Patterns.full(2, 2));
            assertEquals(3, scope.liveResources(), "live resources in the scope");
            assertFalse(zeros.isClosed() || uploaded.isClosed() || pattern.isClosed(), "closed before the scope ended");
        }
        assertTrue(zeros.isClosed(), "zeros closed with its scope");
        assertTrue(uploaded.isClosed(), "uploaded matrix closed with its scope");
        assertTrue(pattern.isClosed(), "pattern closed with its scope");
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("closedUses")
    @DisplayName("using a closed matrix throws IllegalStateException")
    void closedMatrixCannotBeUsed(ClosedUse use) {
        DenseMatrix closed = backend().zeros(2, 3);
        closed.close();

        assertThrows(IllegalStateException.class, () -> use.call().accept(backend(), closed));
    }

    @Test
    @DisplayName("using a closed pattern throws IllegalStateException")
    void closedPatternCannotBeUsed() {
        SparseMatrix pattern = backend().pattern(Patterns.full(4, 3));
        pattern.close();

        assertThrows(IllegalStateException.class, () -> backend()
                .spmm(
                        pattern,
                        backend().zeros(1, 12),
                        backend().zeros(2, 3),
                        backend().zeros(2, 4)));
    }

    @Test
    @DisplayName("closing scopes and matrices twice does nothing")
    void closeIsIdempotent() {
        MemoryScope scope = backend().newScope();
        DenseMatrix closedByHand = backend().zeros(2, 2);
        DenseMatrix closedByScope = backend().zeros(2, 2);
        closedByHand.close();
        closedByHand.close();

        assertDoesNotThrow(scope::close);
        assertDoesNotThrow(scope::close);
        assertDoesNotThrow(closedByScope::close);
        assertTrue(closedByHand.isClosed() && closedByScope.isClosed(), "both closed");
        assertEquals(0, scope.liveResources(), "live resources after close");
    }

    @Test
    @DisplayName("keep lets a matrix outlive its scope, with its data")
    void keepLetsAMatrixOutliveItsScope() {
        float[] data = {1, 2, 3, 4, 5, 6};
        DenseMatrix kept;
        DenseMatrix temporary;
        try (MemoryScope scope = backend().newScope()) {
            DenseMatrix allocated = backend().upload(data, 2, 3);
            kept = scope.keep(allocated);
            temporary = backend().zeros(2, 3);
            assertEquals(allocated, kept, "keep returns the resource it was given");
            assertEquals(1, scope.liveResources(), "live resources once one is kept");
        }
        assertTrue(temporary.isClosed(), "the matrix not kept is closed");
        assertFalse(kept.isClosed(), "the kept matrix is open");
        assertArrayEquals(data, backend().download(kept));
        kept.close();
    }

    @Test
    @DisplayName("an inner scope closes only what was allocated while it was innermost")
    void innerScopeClosesOnlyItsOwn() {
        DenseMatrix before = backend().zeros(1, 1);
        DenseMatrix outerFirst;
        DenseMatrix inner;
        DenseMatrix outerSecond;
        try (MemoryScope outer = backend().newScope()) {
            outerFirst = backend().zeros(1, 1);
            try (MemoryScope nested = backend().newScope()) {
                inner = backend().zeros(1, 1);
                assertEquals(1, nested.liveResources(), "live resources in the inner scope");
            }
            assertTrue(inner.isClosed(), "inner matrix closed with the inner scope");
            assertFalse(outerFirst.isClosed(), "outer matrix open after the inner scope closed");
            outerSecond = backend().zeros(1, 1);
            assertEquals(2, outer.liveResources(), "live resources in the outer scope");
        }
        assertTrue(outerFirst.isClosed() && outerSecond.isClosed(), "outer matrices closed with the outer scope");
        assertFalse(before.isClosed(), "a matrix allocated before the scopes is open");
    }

    @Test
    @DisplayName("closing an outer scope closes the inner scopes still open")
    void closingOuterClosesOpenInner() {
        MemoryScope outer = backend().newScope();
        MemoryScope inner = backend().newScope();
        DenseMatrix innerMatrix = backend().zeros(1, 1);

        outer.close();

        assertTrue(innerMatrix.isClosed(), "matrix of the inner scope");
        assertEquals(0, inner.liveResources(), "live resources of the inner scope");
        assertDoesNotThrow(inner::close);
        assertFalse(backend().zeros(1, 1).isClosed(), "a matrix allocated after both scopes closed");
    }
}
