package org.sparselinear.api;

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
}
