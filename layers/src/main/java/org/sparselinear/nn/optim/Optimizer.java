package org.sparselinear.nn.optim;

import java.util.List;
import org.sparselinear.api.Parameter;
import org.sparselinear.api.ParameterState;
import org.sparselinear.io.Checkpoint;

/**
 * Updates parameters from their accumulated gradients. A training step is
 * {@code zeroGrad(); loss.backward(); step();}. Create optimizers outside any memory scope: their
 * state (momentum, moments) lives on the parameters' backend until {@link #close()}.
 *
 * <p>An optimizer registers itself with {@link Parameter#trackState} for each of its parameters,
 * so that when a sparse layer is rewired ({@link Parameter#remap}) the optimizer's state follows
 * the connections: a kept connection keeps its momentum and moments, a new one starts from zero.
 *
 * <p>An optimizer that also implements {@link org.sparselinear.io.Saveable}, with an
 * {@link org.sparselinear.io.OptimizerProvider} registered for its kind, can be saved in a
 * {@link Checkpoint} and resumed bit for bit, as {@link SGD}, {@link Adam} and {@link AdamW} are.
 */
public interface Optimizer extends ParameterState, AutoCloseable {

    /** The parameters updated, in order (a checkpoint names them, and restores into an optimizer over the same ones). */
    List<Parameter> parameters();

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

    /** The learning rate of the next {@link #step()}; optimizers without one throw. */
    default double learningRate() {
        throw new UnsupportedOperationException(
                getClass().getSimpleName() + " does not expose a learning rate; a schedule cannot drive it");
    }

    /**
     * Sets the learning rate of the following steps (a schedule calls it between steps); it is
     * saved with the optimizer's state. Optimizers without one throw.
     *
     * @throws IllegalArgumentException when {@code learningRate} is not finite and positive
     */
    default void setLearningRate(double learningRate) {
        throw new UnsupportedOperationException(
                getClass().getSimpleName() + " does not expose a learning rate; a schedule cannot drive it");
    }

    /**
     * Frees the state kept on the device (velocities, moments) and stops following the parameters'
     * remaps ({@link Parameter#untrackState}); the parameters themselves stay open. Closing twice
     * does nothing. In the built-in optimizers ({@link SGD}, {@link Adam}), {@link #step()},
     * {@link #zeroGrad()} and {@link #remapState} afterwards fail with {@link IllegalStateException};
     * an implementation should do the same.
     *
     * <p>The default stops following the parameters' remaps and nothing more (it does not make later
     * calls fail): it suits an optimizer whose state lives on the host. One with device state frees
     * it here.
     */
    @Override
    default void close() {
        parameters().forEach(parameter -> parameter.untrackState(this));
    }
}
