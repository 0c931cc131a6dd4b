package org.sparselinear.nn;

/**
 * Updates parameters from their accumulated gradients. A training step is
 * {@code zeroGrad(); loss.backward(); step();}. Create optimizers outside any memory scope: their
 * state (momentum, moments) lives as long as they do.
 */
public interface Optimizer {

    /** Applies one update to every parameter from its current gradient. */
    void step();

    /** Sets every parameter's gradient to zero. */
    void zeroGrad();
}
