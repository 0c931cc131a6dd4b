package org.sparselinear.spi;

/**
 * The mask of {@link ElementwiseOps#dropout}: whether element {@code (r, c)} of a
 * {@code (rows, columns)} matrix is kept is a pure function of a 64-bit key and the element's
 * row-major index {@code r * columns + c}. So a backend computes each element's mask where the
 * element is, in any layout and order, without storing or uploading a mask; the backward pass
 * recomputes the forward pass's mask from the same key; and every backend draws the same mask.
 *
 * <p>The hash is the output function of SplitMix64 (Steele, Lea and Flood 2014, "Fast splittable
 * pseudorandom number generators", OOPSLA), the generator behind {@link java.util.SplittableRandom},
 * applied to the counter {@code key + (index + 1) * 0x9E3779B97F4A7C15}: the counter-based use
 * of a generator's output function, as Salmon et al. (2011, "Parallel random numbers: as easy as
 * 1, 2, 3", SC) do with Philox for the same reason. Its top {@value #BITS} bits, uniform in
 * {@code [0, 2^24)}, keep the element when they are at or above {@link #threshold}
 * {@code round(p 2^24)}: probability {@code 1 - p} to within {@code 2^-25}.
 */
public final class DropoutMask {

    /** The bits of the hash compared with the threshold. */
    public static final int BITS = 24;

    /** The counter's step: SplitMix64's increment, the odd integer nearest {@code 2^64} over the golden ratio. */
    public static final long GOLDEN_GAMMA = 0x9E3779B97F4A7C15L;

    /** The first multiplier of SplitMix64's output function. */
    public static final long MIX_1 = 0xBF58476D1CE4E5B9L;

    /** The second multiplier of SplitMix64's output function. */
    public static final long MIX_2 = 0x94D049BB133111EBL;

    private DropoutMask() {}

    /**
     * The threshold of dropping probability {@code p}: {@code round(p 2^24)}.
     *
     * @throws IllegalArgumentException unless {@code 0 <= p < 1}
     */
    public static int threshold(float p) {
        Checks.inRange(p, 0, 1, "dropout probability");
        return (int) Math.round(p * (double) (1 << BITS));
    }

    /**
     * The scale of the kept elements, {@code 1 / (1 - p)} rounded to a float once, so that every
     * backend multiplies by the same number.
     *
     * @throws IllegalArgumentException unless {@code 0 <= p < 1}
     */
    public static float scale(float p) {
        Checks.inRange(p, 0, 1, "dropout probability");
        return (float) (1 / (1 - (double) p));
    }

    /** Whether the element at row-major {@code index} is kept under {@code key} and {@code threshold}. */
    public static boolean kept(long key, long index, int threshold) {
        return (hash(key, index) >>> (Long.SIZE - BITS)) >= threshold;
    }

    /** SplitMix64's output function of the counter {@code key + (index + 1) * 0x9E3779B97F4A7C15}. */
    public static long hash(long key, long index) {
        long z = key + (index + 1) * GOLDEN_GAMMA;
        z = (z ^ (z >>> 30)) * MIX_1;
        z = (z ^ (z >>> 27)) * MIX_2;
        return z ^ (z >>> 31);
    }
}
