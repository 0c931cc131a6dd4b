package org.sparselinear.spi;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** The dropout mask: SplitMix64 as the JDK computes it, the rate it keeps, and its independence. */
class DropoutMaskTest {

    private static final long GOLDEN_GAMMA = 0x9E3779B97F4A7C15L;

    @Test
    void theHashIsTheFirstNumberOfASplittableRandomSeededAtTheCounter() {
        SplittableRandom keys = new SplittableRandom(3);
        for (int trial = 0; trial < 100; trial++) {
            long key = keys.nextLong();
            long index = keys.nextLong(1L << 40);
            // SplittableRandom(seed).nextLong() is the output function of seed + gamma.
            assertEquals(new SplittableRandom(key + index * GOLDEN_GAMMA).nextLong(), DropoutMask.hash(key, index));
        }
    }

    @ParameterizedTest
    @ValueSource(floats = {0.1f, 0.5f, 0.9f})
    void aboutOneMinusPOfTheElementsAreKeptUnderAnyKey(float p) {
        int threshold = DropoutMask.threshold(p);
        int n = 1 << 20;
        for (long key : new long[] {0, 42, -1, GOLDEN_GAMMA}) {
            int kept = 0;
            for (int i = 0; i < n; i++) {
                kept += DropoutMask.kept(key, i, threshold) ? 1 : 0;
            }
            // A binomial count: five standard deviations are under 0.0025 of a million.
            assertEquals(1 - p, kept / (double) n, 0.0025, "key " + key);
        }
    }

    @Test
    void neighboursAndKeysAreIndependent() {
        int threshold = DropoutMask.threshold(0.5f);
        int n = 1 << 20;
        int bothKept = 0;
        int sameUnderBothKeys = 0;
        for (int i = 0; i < n; i++) {
            boolean kept = DropoutMask.kept(7, i, threshold);
            bothKept += kept && DropoutMask.kept(7, i + 1, threshold) ? 1 : 0;
            sameUnderBothKeys += kept == DropoutMask.kept(8, i, threshold) ? 1 : 0;
        }
        assertEquals(0.25, bothKept / (double) n, 0.0025, "pairs of neighbours kept together");
        assertEquals(0.5, sameUnderBothKeys / (double) n, 0.0025, "agreement of two keys");
    }

    @Test
    void thresholdsAndScales() {
        assertEquals(0, DropoutMask.threshold(0f));
        assertEquals(1 << 23, DropoutMask.threshold(0.5f));
        assertEquals(2f, DropoutMask.scale(0.5f));
        assertEquals(1f, DropoutMask.scale(0f));
        for (long index = 0; index < 1000; index++) {
            assertTrue(DropoutMask.kept(11, index, 0), "p = 0 keeps everything");
        }
        assertNotEquals(DropoutMask.hash(1, 0), DropoutMask.hash(1, 1));
        for (float p : new float[] {1f, -0.1f, Float.NaN}) {
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> DropoutMask.threshold(p));
            assertTrue(e.getMessage().contains("dropout probability must be in [0"), e.getMessage());
            assertThrows(IllegalArgumentException.class, () -> DropoutMask.scale(p));
        }
    }
}
