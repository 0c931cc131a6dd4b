package org.sparselinear.api;

import org.sparselinear.spi.Checks;

/**
 * A rule that picks the connections of a sparse layer: random, small-world, a user's list.
 * Implementations must cost O(nnz) time and memory (never O(in x out)) and be reproducible:
 * the same arguments and seed give the same {@link Connectivity}.
 */
public interface Topology {

    /** The name it is registered under, e.g. {@code "random"}. */
    String name();

    /**
     * The connections of a layer with {@code in} inputs and {@code out} outputs: a
     * {@code (out, in)} pattern with about {@code (1 - sparsity) * in * out} connections (the
     * exact count is each topology's documented rule).
     */
    Connectivity connect(int in, int out, double sparsity, long seed);

    /**
     * How many connections {@link #connect} makes for these arguments (for a random rule, the
     * expected number), known before any is made: a layer checks its memory with it before it
     * allocates. The default is the library's rule {@code round((1 - sparsity) * in * out)}; a
     * topology that makes another number (a fixed band width, a list of its own, a rule that
     * ignores the sparsity) overrides it, or layers are checked against the wrong size.
     *
     * @throws IllegalArgumentException when {@code in} or {@code out} is not positive or the
     *         sparsity is outside {@code [0, 1)}
     */
    default long connectionCount(int in, int out, double sparsity) {
        Checks.positive(in, "in (input features)");
        Checks.positive(out, "out (output features)");
        Checks.sparsity(sparsity);
        return Math.round((1 - sparsity) * in * out);
    }
}
