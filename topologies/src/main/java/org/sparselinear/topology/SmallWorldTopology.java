package org.sparselinear.topology;

import java.util.Locale;
import org.sparselinear.api.Connectivity;
import org.sparselinear.api.Topology;
import org.sparselinear.spi.Checks;

/**
 * The bipartite small-world rule of the reference PyTorch package SparseLinear
 * ({@code small_world=True}): mostly local connections with a few long-range ones, in the spirit
 * of Watts and Strogatz, "Collective dynamics of 'small-world' networks", Nature 393 (1998).
 *
 * <p>Inputs and outputs sit on one line, one unit apart, the shorter layer centred against the
 * longer: input {@code i} at {@code i + max(0, out - in) / 2}, output {@code o} at
 * {@code o + max(0, in - out) / 2}. Each pair {@code (o, i)} at distance {@code d} is connected
 * independently with probability {@code (d + 1)^-lambda}. Unless {@code lambda} is fixed
 * ({@link #withLambda}), it is solved by bisection so that the expected number of connections
 * equals {@code nnz = round((1 - sparsity) * in * out)}, the count {@link RandomTopology} gives.
 *
 * <p>The achieved count is a sum of independent Bernoulli draws: its standard deviation is below
 * {@code sqrt(nnz)}, so it lies within 1 % of {@code nnz} (more than three standard deviations)
 * whenever {@code nnz >= 90,000}; a smaller layer strays by about {@code 1 / sqrt(nnz)} relatively.
 * When {@code in - out} is even, every neuron of the shorter layer faces one of the longer at
 * distance 0 and is always connected to it, so {@code nnz} must exceed {@code min(in, out)}; when
 * it is odd, every distance is at least 1/2 and any {@code nnz >= 1} can be reached.
 *
 * <p>How local the pattern is depends on the solved {@code lambda}, which grows with the sparsity:
 * above 1 the connections are mostly short (10,000 x 10,000 at 99.9 %: {@code lambda} about 1.14,
 * mean distance a tenth of a random pattern's); at 90 % it is about 0.3 and the mean distance is
 * still three quarters of a random pattern's, as in the reference package.
 *
 * <p>Cost: solving {@code lambda} takes O(max(in, out)) per bisection step (about 30 steps); the
 * rows are drawn in parallel, each in time proportional to its connections, without the
 * {@code in x out} probability matrix ({@link SmallWorldRows} describes the exact sampler).
 * A 1,000,000 x 1,000,000 layer at 99.99 % sparsity takes a few seconds. The pattern depends on
 * the arguments and the seed only.
 *
 * <p>Differences from the reference package, which builds the dense probability matrix in chunks:
 * <ul>
 *   <li>one {@code lambda} for the whole layer; the reference solves one per chunk of
 *       {@code max_size} entries, so its large layers mix several decays;</li>
 *   <li>{@code lambda} is solved to a relative error of 1e-8 in the expected count and may take any
 *       value {@code >= 0}; the reference bisects within {@code [1e-5, 5]} until the expected
 *       count is within 10 of the target, and gives up after 1000 steps;</li>
 *   <li>the reference requires {@code nnz > min(in, out)} for every shape; here that holds only
 *       when {@code in - out} is even, the only case with pairs at distance 0 (always connected);
 *       with an odd difference any {@code nnz >= 1} can be reached;</li>
 *   <li>positions start at 0 rather than 1 (distances, hence probabilities, are the same);</li>
 *   <li>the reference's chunked path for {@code out > in} adds the chunk offset to the input
 *       index instead of the output index; this implementation has no chunks and no such shift;</li>
 *   <li>the connections are drawn from a seeded {@link java.util.SplittableRandom} rather than
 *       torch's generator, so the same seed gives a different (equally distributed) pattern.</li>
 * </ul>
 */
public final class SmallWorldTopology implements Topology {

    /** The name this topology is registered under. */
    public static final String NAME = "small-world";

    /** The most inputs or outputs a layer may have: the sampler's tables hold two entries per distance. */
    private static final int MAX_FEATURES = Connectivity.MAX_NNZ / 2 - 1;

    /** The fixed decay exponent, or NaN to solve it from the sparsity. */
    private final double fixedLambda;

    private SmallWorldTopology(double fixedLambda) {
        this.fixedLambda = fixedLambda;
    }

    /** The rule with {@code lambda} solved from each layer's size and sparsity. */
    public static SmallWorldTopology solvingLambda() {
        return new SmallWorldTopology(Double.NaN);
    }

    /**
     * The rule with a fixed decay exponent: each pair at distance {@code d} is connected with
     * probability {@code (d + 1)^-lambda}, whatever the sparsity (which must still be in
     * {@code [0, 1)}, and is otherwise ignored).
     *
     * @throws IllegalArgumentException when {@code lambda} is negative, infinite or NaN
     */
    public static SmallWorldTopology withLambda(double lambda) {
        Checks.nonNegativeFinite(lambda, "small-world lambda (the decay exponent)");
        return new SmallWorldTopology(lambda);
    }

    @Override
    public String name() {
        return NAME;
    }

    /**
     * The decay exponent a layer of this size and sparsity gets: the fixed one, or the one whose
     * expected number of connections is {@code round((1 - sparsity) * in * out)}.
     *
     * @throws IllegalArgumentException as {@link #connect} does
     */
    public double lambda(int in, int out, double sparsity) {
        return lambda(check(in, out), sparsity);
    }

    /**
     * {@inheritDoc}
     *
     * @throws IllegalArgumentException when {@code in} or {@code out} is not positive, the
     *         sparsity is outside {@code [0, 1)}, the layer would have more than
     *         {@link Connectivity#MAX_NNZ} connections, or (unless lambda is fixed) the sparsity is
     *         so high that {@code nnz <= min(in, out)} with {@code in - out} even
     */
    @Override
    public Connectivity connect(int in, int out, double sparsity, long seed) {
        SmallWorldLine line = check(in, out);
        SmallWorldRows rows = new SmallWorldRows(line, lambda(line, sparsity));
        return RowBlocks.generate(out, in, seed, () -> rows);
    }

    /**
     * {@inheritDoc} With lambda solved from the sparsity, {@code round((1 - sparsity) * in * out)};
     * with a fixed lambda, the expected number of pairs that rule connects, whatever the sparsity.
     */
    @Override
    public long connectionCount(int in, int out, double sparsity) {
        long requested = Topology.super.connectionCount(in, out, sparsity);
        if (Double.isNaN(fixedLambda)) {
            return requested;
        }
        return Math.round(new SmallWorldLambda(check(in, out)).expectedCount(fixedLambda));
    }

    private double lambda(SmallWorldLine line, double sparsity) {
        int in = line.in();
        int out = line.out();
        long nnz = Topology.super.connectionCount(in, out, sparsity);
        SmallWorldLambda solver = new SmallWorldLambda(line);
        if (!Double.isNaN(fixedLambda)) {
            requireIndexable(solver.expectedCount(fixedLambda), in, out, "lambda = " + fixedLambda, "raise lambda");
            return fixedLambda;
        }
        requireIndexable(nnz, in, out, "sparsity = " + sparsity, "raise the sparsity");
        if (nnz <= solver.limit() && nnz < (long) in * out) {
            throw tooSparse(solver.limit(), in, out, sparsity, nnz);
        }
        return solver.solve(nnz);
    }

    private static IllegalArgumentException tooSparse(double limit, int in, int out, double sparsity, long nnz) {
        String why = limit > 0
                ? String.format(
                        Locale.ROOT,
                        "more than min(in, out) = %.0f connections: each neuron of the shorter "
                                + "layer faces one of the longer at distance 0 and is always connected to it",
                        limit)
                : "at least one connection";
        return new IllegalArgumentException(String.format(
                Locale.ROOT,
                "small-world with in = %d, out = %d needs %s; sparsity %s gives %d. Use a sparsity of at most %s, "
                        + "fix 'lambda', or use 'random'",
                in,
                out,
                why,
                sparsity,
                nnz,
                1 - (limit + 1) / ((double) in * out)));
    }

    private static SmallWorldLine check(int in, int out) {
        Checks.positive(in, "in (input features)");
        Checks.positive(out, "out (output features)");
        if (Math.max(in, out) > MAX_FEATURES) {
            throw new IllegalArgumentException(String.format(
                    Locale.ROOT,
                    "small-world keeps tables of 2 * (max(in, out) + 1) entries; in = %d, out = %d is too large (at "
                            + "most %d each); split the layer",
                    in,
                    out,
                    MAX_FEATURES));
        }
        return new SmallWorldLine(in, out);
    }

    private static void requireIndexable(double expected, int in, int out, String setting, String remedy) {
        if (expected > Connectivity.MAX_NNZ) {
            throw new IllegalArgumentException(String.format(
                    Locale.ROOT,
                    "a layer of about %.0f connections exceeds int32 indexing (max %d); %s or split the layer "
                            + "(in = %d, out = %d, %s)",
                    expected,
                    Connectivity.MAX_NNZ,
                    remedy,
                    in,
                    out,
                    setting));
        }
    }

    @Override
    public String toString() {
        return Double.isNaN(fixedLambda) ? "SmallWorldTopology" : "SmallWorldTopology(lambda=" + fixedLambda + ")";
    }
}
