package org.sparselinear.api;

import java.util.SplittableRandom;

/**
 * What a {@link Rewiring} sees of a sparse layer and how it changes it: the current connections,
 * the weight values, the gradient candidates of the last backward pass, a random stream, and
 * {@link #rewire}, which swaps the pattern while keeping every kept connection's value, gradient
 * and optimizer state.
 */
public interface RewirableLayer {

    /** The backend holding the layer's pattern and values. */
    Backend backend();

    /** The current connections, {@code (out, in)}. */
    Connectivity connectivity();

    /**
     * The {@code (1, nnz)} weight values in the order of {@link #connectivity()}. A layer that holds its values in
     * another order while it trains puts them into this order first; a rule that only reads them should call
     * {@link #downloadWeightValues()}, which spares the layer that move.
     */
    Parameter weightValues();

    /** A host copy of the weight values in the order of {@link #connectivity()}; by default the download of {@link #weightValues()}. */
    default float[] downloadWeightValues() {
        return backend().download(weightValues().value());
    }

    /**
     * The positions found in the backward pass of the current step at the request of
     * {@link Rewiring#gradientCandidates}: a {@code (2, m)} array of rows then columns, best
     * first, none of them connected; null when none were requested for this step.
     */
    int[][] gradientCandidates();

    /**
     * The layer's random stream for rewiring (reproducible). A layer may derive a fresh stream for
     * each hook call from its seed and the step or epoch number, so that a run resumed from a
     * checkpoint draws the same numbers as an uninterrupted one: draw from it within the hook
     * call, do not keep it across calls.
     */
    SplittableRandom random();

    /**
     * Replaces the connections with {@code next} (same shape, same nnz): new connection {@code j}
     * takes the value, gradient and optimizer state of old connection {@code sourcePositions[j]},
     * or starts from zero where that is {@code -1}. A kept connection must stay at the same
     * {@code (row, column)}, and no old connection may be used twice.
     *
     * @throws IllegalArgumentException naming the first entry that breaks these rules
     */
    void rewire(Connectivity next, int[] sourcePositions);
}
