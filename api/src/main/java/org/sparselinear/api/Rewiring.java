package org.sparselinear.api;

/**
 * A rule that changes the connections of a sparse layer while it trains (dynamic sparse
 * training), such as RigL (Evci et al. 2020) or SET (Mocanu et al. 2018). A rewiring is
 * stateless with respect to the layers it serves, so one instance may serve several layers: the
 * step count, the gradient candidates and the random stream live in each {@link RewirableLayer}.
 *
 * <p>The training loop drives it through the layer: one backward pass per step, then, after the
 * optimizer's update, the layer's "after step" hook, and the "after epoch" hook at the end of
 * each epoch. In the layers module these are {@code TrainingHooks.afterStep(model)} and
 * {@code TrainingHooks.afterEpoch(model)}. Every method has a default that does nothing.
 */
public interface Rewiring {

    /** A short name for the layer's description, e.g. {@code "RigL(deltaT=100, tEnd=281, alpha=0.3)"}. */
    String name();

    /**
     * How many new connections the layer should find from the dense gradient during the backward
     * pass of training step {@code step} (1-based), with {@link Backend#topKAbsDenseGradient}
     * over the positions not connected now; 0 (the default) for none. The layer hands them to
     * {@link #afterStep} as {@link RewirableLayer#gradientCandidates()}.
     */
    default int gradientCandidates(long step, int nnz) {
        return 0;
    }

    /** Called after the optimizer's update of training step {@code step} (1-based); may rewire the layer. */
    default void afterStep(long step, RewirableLayer layer) {}

    /** Called at the end of training epoch {@code epoch} (1-based); may rewire the layer. */
    default void afterEpoch(int epoch, RewirableLayer layer) {}
}
