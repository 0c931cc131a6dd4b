package org.sparselinear.spi;

import org.sparselinear.api.DenseMatrix;

/**
 * Optimizer updates: one fused step of an optimizer over one parameter and its state, each
 * element updated independently, with PyTorch's semantics as {@link SgdSettings},
 * {@link AdamSettings} and {@link AdagradSettings} state them.
 *
 * <p>Contract: after any number of steps the parameter and the state agree with a
 * double-precision reference run of the same steps within the float32 drift of that recurrence.
 * Required: every backend implements the whole family.
 */
public interface OptimizerOps {

    /** One fused SGD update of {@code parameter}; {@code velocity} may be null when momentum is 0. */
    void sgdStep(DenseMatrix parameter, DenseMatrix gradient, DenseMatrix velocity, SgdSettings settings);

    /** One fused Adam update; {@code step} is 1 on the first update. */
    void adamStep(
            DenseMatrix parameter,
            DenseMatrix gradient,
            DenseMatrix firstMoment,
            DenseMatrix secondMoment,
            AdamSettings settings,
            long step);

    /**
     * One fused Adagrad update; {@code step} is 1 on the first update and sets the decayed
     * learning rate. An entry whose gradient plus weight decay is exactly zero keeps its value and
     * its {@code sum} bit for bit (see {@link AdagradSettings}).
     */
    void adagradStep(DenseMatrix parameter, DenseMatrix gradient, DenseMatrix sum, AdagradSettings settings, long step);
}
