package org.sparselinear.nn;

import org.sparselinear.api.Parameter;
import org.sparselinear.api.ParameterState;

/**
 * Updates parameters from their accumulated gradients. A training step is
 * {@code zeroGrad(); loss.backward(); step();}. Create optimizers outside any memory scope: their
 * state (momentum, moments) lives on the parameters' backend until {@link #close()}.
 *
 * <p>An optimizer registers itself with {@link Parameter#trackState} for each of its parameters,
 * so that when a sparse layer is rewired ({@link Parameter#remap}) the optimizer's state follows
 * the connections: a kept connection keeps its momentum and moments, a new one starts from zero.
 */
public interface Optimizer extends ParameterState, AutoCloseable {

    /** Applies one update to every parameter from its current gradient. */
    void step();

    /** Sets every parameter's gradient to zero. */
    void zeroGrad();

    /**
     * Rearranges the per-element state kept for {@code parameter} (velocity, moments): new element
     * {@code j} takes the state of old element {@code sourcePositions[j]}, or zero where that is
     * {@code -1}. Called by {@link Parameter#remap}; does nothing for a parameter this optimizer
     * does not update or keeps no state for.
     */
    @Override
    void remapState(Parameter parameter, int[] sourcePositions);

    /**
     * Frees the state kept on the device (velocities, moments) and stops following the parameters'
     * remaps ({@link Parameter#untrackState}); the parameters themselves stay open. Closing twice
     * does nothing; {@link #step()}, {@link #zeroGrad()} and {@link #remapState} afterwards fail with
     * {@link IllegalStateException}.
     */
    @Override
    void close();
}
