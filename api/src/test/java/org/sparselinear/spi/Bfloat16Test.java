package org.sparselinear.spi;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class Bfloat16Test {

    /** bfloat16 bits of {@code value}, as an int for readable comparisons. */
    private static int bits(float value) {
        return Bfloat16.fromFloat(value) & 0xffff;
    }

    @Test
    void exactValuesKeepTheirUpperSixteenBits() {
        assertEquals(0x3f80, bits(1f));
        assertEquals(0xc000, bits(-2f));
        assertEquals(0x0000, bits(0f));
        assertEquals(0x8000, bits(-0f));
    }

    @Test
    void tiesRoundToEven() {
        // 1 + 2^-8 lies halfway between 1 (0x3f80, even) and 1 + 2^-7 (0x3f81): down to the even one
        assertEquals(0x3f80, bits(Float.intBitsToFloat(0x3f80_8000)));
        // halfway between 0x3f81 (odd) and 0x3f82 (even): up
        assertEquals(0x3f82, bits(Float.intBitsToFloat(0x3f81_8000)));
    }

    @Test
    void nonTiesRoundToNearest() {
        assertEquals(0x3f81, bits(Float.intBitsToFloat(0x3f80_8001)));
        assertEquals(0x3f80, bits(Float.intBitsToFloat(0x3f80_7fff)));
        // pi = 0x40490fdb: the dropped half 0x0fdb is below a tie, so down
        assertEquals(0x4049, bits((float) Math.PI));
    }

    @Test
    void infinitiesAndNanAreKept() {
        assertEquals(0x7f80, bits(Float.POSITIVE_INFINITY));
        assertEquals(0xff80, bits(Float.NEGATIVE_INFINITY));
        assertTrue(Float.isNaN(Bfloat16.round(Float.NaN)));
        // a NaN whose payload lies only in the low 16 bits must not become an infinity
        assertTrue(Float.isNaN(Bfloat16.round(Float.intBitsToFloat(0x7f80_0001))));
        assertTrue(Float.isNaN(Bfloat16.round(Float.intBitsToFloat(0xff80_0001))));
        assertEquals(0x8000, bits(Float.intBitsToFloat(0xff80_0001)) & 0x8000, "sign of a NaN kept");
    }

    @Test
    void finiteValuesBeyondTheLargestBfloat16RoundToInfinity() {
        assertEquals(0x7f80, bits(Float.MAX_VALUE));
        assertEquals(0x7f7f, bits(Float.intBitsToFloat(0x7f7f_7fff)));
    }

    @Test
    void wideningIsExactAndRoundTrips() {
        for (int b = 0; b < 0x10000; b++) {
            float widened = Bfloat16.toFloat((short) b);
            if (!Float.isNaN(widened)) {
                assertEquals(b, bits(widened), "bfloat16 0x" + Integer.toHexString(b));
            }
        }
        assertEquals(-1.5f, Bfloat16.toFloat((short) 0xbfc0));
    }

    @Test
    void roundsArrays() {
        assertArrayEquals(
                new float[] {1f, 1f, Float.POSITIVE_INFINITY},
                Bfloat16.round(new float[] {1f, Float.intBitsToFloat(0x3f80_8000), Float.MAX_VALUE}));
    }
}
