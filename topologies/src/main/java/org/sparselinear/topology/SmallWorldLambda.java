package org.sparselinear.topology;

import java.util.Locale;

/**
 * The decay exponent {@code lambda} of a small-world layer: the one whose expected number of
 * connections, {@code E(lambda) = sum over pairs (o, i) of (d(o, i) + 1)^-lambda}, equals the
 * requested count.
 *
 * <p>{@code E} depends on the pairs only through their distances, so it is computed as
 * {@code sum over steps j of pairs(j) * (distance(j) + 1)^-lambda}, with the number of pairs at
 * each step counted once ({@link SmallWorldLine#pairsPerStep()}): O(max(in, out)) per
 * evaluation, never O(in x out). {@code E} falls strictly from {@code in * out} at
 * {@code lambda = 0} towards its {@linkplain #limit() limit}, the number of pairs at distance 0 (each
 * connected with probability {@code 1^-lambda = 1}), so bisection finds the one solution.
 */
final class SmallWorldLambda {

    /**
     * Bisection stops once the expected count is this close to the target, relatively: far below
     * the count's own spread, about {@code sqrt(nnz)}, for any layer that fits int32 indexing.
     */
    private static final double RELATIVE_TOLERANCE = 1e-8;

    private final double[] pairs;
    private final double[] logDistancePlusOne;
    private final double limit;

    SmallWorldLambda(SmallWorldLine line) {
        this.pairs = line.pairsPerStep();
        this.logDistancePlusOne = new double[pairs.length];
        for (int j = 0; j < pairs.length; j++) {
            logDistancePlusOne[j] = Math.log(line.distance(j) + 1);
        }
        this.limit = line.halfShift() ? 0 : pairs[0];
    }

    /** The expected number of connections at this {@code lambda >= 0}. */
    double expectedCount(double lambda) {
        double sum = 0;
        for (int j = 0; j < pairs.length; j++) {
            if (pairs[j] != 0) {
                sum += pairs[j] * Math.exp(-lambda * logDistancePlusOne[j]);
            }
        }
        return sum;
    }

    /**
     * The expected count as {@code lambda} grows without bound: the number of pairs at distance 0,
     * which is {@code min(in, out)} when {@code in - out} is even and 0 when it is odd.
     */
    double limit() {
        return limit;
    }

    /**
     * The {@code lambda} whose expected count is {@code nnz}, to a relative
     * {@value #RELATIVE_TOLERANCE}.
     *
     * @throws IllegalArgumentException when {@code nnz} is above {@code in * out}, or below it and
     *         not above the {@link #limit()} (no {@code lambda} reaches it)
     */
    double solve(double nnz) {
        double dense = expectedCount(0);
        if (nnz == dense) {
            return 0;
        }
        if (!(nnz > limit) || nnz > dense) {
            throw new IllegalArgumentException(String.format(
                    Locale.ROOT,
                    "no small-world lambda gives %.0f connections: the expected count runs from %.0f (lambda = 0, "
                            + "dense) down to, but never reaching, %.0f (the pairs at distance 0, always connected)",
                    nnz,
                    dense,
                    limit));
        }
        double low = 0;
        double high = 1;
        while (expectedCount(high) > nnz) {
            low = high;
            high *= 2;
        }
        while (true) {
            double middle = 0.5 * (low + high);
            if (middle <= low || middle >= high) {
                return middle;
            }
            double expected = expectedCount(middle);
            if (Math.abs(expected - nnz) <= RELATIVE_TOLERANCE * nnz) {
                return middle;
            }
            if (expected > nnz) {
                low = middle;
            } else {
                high = middle;
            }
        }
    }
}
