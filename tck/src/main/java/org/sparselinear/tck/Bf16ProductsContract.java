package org.sparselinear.tck;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.stream.Stream;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.sparselinear.api.Bf16Values;
import org.sparselinear.api.Connectivity;
import org.sparselinear.api.DenseMatrix;
import org.sparselinear.api.SparseMatrix;
import org.sparselinear.spi.Bfloat16;
import org.sparselinear.tck.reference.HostMatrix;
import org.sparselinear.tck.reference.ReferenceOps;
import org.sparselinear.tck.reference.TestData;

/**
 * {@code toBf16}, {@code fromBf16} and {@code spmmBf16}: the rounding is exact (to nearest, ties
 * to even, against {@link Bfloat16}, itself checked by hand-made cases in the API's tests), and
 * the product equals the float32 {@code spmm} reference over the rounded values within float32
 * summation order, on every {@link SparseCases} case.
 */
abstract class Bf16ProductsContract extends BackendContract {

    static Stream<SparseCase> cases() {
        return SparseCases.all().stream();
    }

    /** Values around every rounding edge: ties both ways, overflow, subnormals, signed zeros, NaN, infinities. */
    private static final float[] EDGES = {
        0f,
        -0f,
        1f,
        Float.intBitsToFloat(0x3f80_8000), // 1 + 2^-8: a tie, rounds down to even 1
        Float.intBitsToFloat(0x3f81_8000), // a tie that rounds up to even
        Float.intBitsToFloat(0x3f80_8001), // just above a tie: up
        -Float.intBitsToFloat(0x3f80_7fff), // just below a tie: down, negative
        Float.MAX_VALUE, // beyond the largest bfloat16: infinity
        Float.MIN_VALUE, // a subnormal: rounds to zero
        Float.intBitsToFloat(0x0001_8000), // a subnormal tie: up to even
        Float.NaN,
        Float.POSITIVE_INFINITY,
        Float.NEGATIVE_INFINITY,
        3.14159265f,
        -1e-20f
    };

    @Test
    @DisplayName("toBf16 then fromBf16 gives each value rounded to the nearest bfloat16, bit for bit")
    void roundTripRoundsToNearestEven() {
        Bf16Values bf16 = backend().toBf16(upload(HostMatrix.vector(EDGES)));
        DenseMatrix widened = garbage(1, EDGES.length);

        backend().fromBf16(bf16, widened);

        float[] actual = backend().download(widened);
        for (int i = 0; i < EDGES.length; i++) {
            int expected = Float.floatToIntBits(Bfloat16.round(EDGES[i]));
            assertEquals(
                    expected,
                    Float.floatToIntBits(actual[i]),
                    "value " + i + " (" + EDGES[i] + "): expected bfloat16 " + Bfloat16.round(EDGES[i]) + ", got "
                            + actual[i]);
        }
        assertEquals(EDGES.length, bf16.length(), "length");
    }

    @Test
    @DisplayName("storesBf16 agrees with the bits each value takes")
    void storageIsDeclared() {
        Bf16Values bf16 = backend().toBf16(upload(HostMatrix.vector(EDGES)));
        assertEquals(
                backend().storesBf16() ? 16 : 32,
                bf16.bitsPerValue(),
                "bitsPerValue, storesBf16=" + backend().storesBf16());
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    @DisplayName("spmmBf16 overwrites y with x W^T over the bfloat16-rounded values")
    void spmmBf16(SparseCase c) {
        Connectivity weight = c.connectivity();
        TestData data = c.data("spmmBf16");
        float[] values = data.signed(weight.nnz());
        HostMatrix x = data.signed(c.batch(), weight.columns());
        Bf16Values bf16 = backend().toBf16(upload(HostMatrix.vector(values)));
        DenseMatrix deviceX = upload(x);
        DenseMatrix y = garbage(c.batch(), weight.rows());

        backend().spmmBf16(backend().pattern(weight), bf16, deviceX, y);

        assertMatches("spmmBf16 y", ReferenceOps.spmm(weight, Bfloat16.round(values), x), y);
        assertUnchanged("spmmBf16 x", x, deviceX);
    }

    @Test
    @DisplayName("spmmBf16 refuses values of another pattern, naming both lengths")
    void refusesValuesOfAnotherLength() {
        SparseMatrix pattern = backend().pattern(Connectivity.fromCoo(2, 2, new int[][] {{0, 1}, {1, 0}}));
        Bf16Values three = backend().toBf16(upload(HostMatrix.vector(new float[] {1f, 2f, 3f})));
        DenseMatrix x = backend().zeros(1, 2);
        DenseMatrix y = backend().zeros(1, 2);

        var error = assertThrows(IllegalArgumentException.class, () -> backend().spmmBf16(pattern, three, x, y));

        assertTrue(error.getMessage().contains("(2)") && error.getMessage().contains("got 3"), error.getMessage());
    }
}
