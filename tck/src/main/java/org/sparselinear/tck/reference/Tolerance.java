package org.sparselinear.tck.reference;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.fail;

import java.util.Locale;

/**
 * How far a backend's float32 result may be from the double-precision reference.
 *
 * <p>An element passes when {@code |actual - expected| <= RELATIVE * |expected| + ABSOLUTE * magnitude},
 * where {@code magnitude} is the sum of the absolute values of the terms that make the element
 * (see {@link Expected}). The first part is the ordinary relative tolerance; the second covers
 * the rounding of long sums whose terms cancel, whose error grows with the summed terms and not
 * with the result. Exact results built from no terms (an output row with no connections, a
 * ReLU of a negative input) have magnitude 0 and must be exact. A NaN never passes.
 *
 * <p>With the kit's inputs (every factor in [0.5, 1) in absolute value), one term left out of
 * or counted twice in a sum of up to 5,000 terms exceeds the tolerance, while float32
 * accumulation in any order stays well within it.
 */
public final class Tolerance {

    /** Allowed difference relative to the expected value. */
    public static final double RELATIVE = 1e-4;

    /** Allowed difference relative to the sum of |terms| of the element. */
    public static final double ABSOLUTE = 1e-5;

    private Tolerance() {}

    public static double allowed(double expected, double magnitude) {
        return RELATIVE * Math.abs(expected) + ABSOLUTE * magnitude;
    }

    /** Fails, naming the first element out of tolerance and how many there are, unless all pass. */
    public static void assertMatches(String what, Expected expected, float[] actual) {
        assertEquals(expected.size(), actual.length, what + ": number of elements");
        int outside = 0;
        int first = -1;
        for (int i = 0; i < actual.length; i++) {
            double difference = Math.abs(actual[i] - expected.value(i));
            if (!(difference <= allowed(expected.value(i), expected.magnitude(i)))) {
                outside++;
                if (first < 0) {
                    first = i;
                }
            }
        }
        if (outside > 0) {
            int columns = Math.max(expected.columns(), 1);
            fail(String.format(
                    Locale.ROOT,
                    "%s (%d, %d): %d of %d elements out of tolerance; first at (%d, %d): expected %.9g, got %.9g, "
                            + "allowed difference %.3g (%.0e x |expected| + %.0e x sum of |terms| %.6g)",
                    what,
                    expected.rows(),
                    expected.columns(),
                    outside,
                    actual.length,
                    first / columns,
                    first % columns,
                    expected.value(first),
                    actual[first],
                    allowed(expected.value(first), expected.magnitude(first)),
                    RELATIVE,
                    ABSOLUTE,
                    expected.magnitude(first)));
        }
    }
}
