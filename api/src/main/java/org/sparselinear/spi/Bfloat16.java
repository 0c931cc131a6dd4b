package org.sparselinear.spi;

/**
 * Conversions between float32 and bfloat16 (the upper 16 bits of a float32: sign, the 8 exponent
 * bits and 7 mantissa bits; Kalamkar et al., "A Study of BFLOAT16 for Deep Learning Training",
 * 2019). Narrowing rounds to nearest, ties to even; infinities stay infinities, a NaN stays a NaN
 * (quiet, with its sign), and a finite value beyond the largest bfloat16 (about 3.39e38) rounds to
 * infinity as IEEE rounding does. Widening is exact: the 16 bits shifted left by 16.
 */
public final class Bfloat16 {

    private Bfloat16() {}

    /** The bfloat16 nearest to {@code value} (ties to even), as its 16 bits. */
    public static short fromFloat(float value) {
        int bits = Float.floatToRawIntBits(value);
        if ((bits & 0x7fff_ffff) > 0x7f80_0000) {
            return (short) ((bits >>> 16) | 0x0040);
        }
        int roundingBias = 0x7fff + ((bits >>> 16) & 1);
        return (short) ((bits + roundingBias) >>> 16);
    }

    /** The float32 value of bfloat16 {@code bits}, exactly. */
    public static float toFloat(short bits) {
        return Float.intBitsToFloat(bits << 16);
    }

    /** {@code value} rounded to the nearest bfloat16, as a float32. */
    public static float round(float value) {
        return toFloat(fromFloat(value));
    }

    /** Each value rounded to the nearest bfloat16, as float32, in a new array. */
    public static float[] round(float[] values) {
        float[] rounded = new float[values.length];
        for (int i = 0; i < values.length; i++) {
            rounded[i] = round(values[i]);
        }
        return rounded;
    }
}
