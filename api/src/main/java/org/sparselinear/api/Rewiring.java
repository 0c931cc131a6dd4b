package org.sparselinear.api;

/**
 * A rule that changes the connections of a sparse layer while it trains (dynamic sparse
 * training), such as RigL (Evci et al. 2020) or SET (Mocanu et al. 2018). A rewiring is
 * stateless with respect to the layers it serves, so one instance may serve several layers: the
 * step count, the gradient candidates and the random stream live in each {@link RewirableLayer}.
 *
 * <p>The layer drives it: one backward pass per step, then, after the optimizer's update (which the
 * optimizer reports through {@link Parameter#updated()}), the "after step" call, and the "after
 * epoch" call at the end of each epoch (in the layers module the {@code Trainer} signals epochs, a
 * hand-written loop calls {@code TrainingHooks.afterEpoch(model)}). Every method has a default
 * that does nothing.
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

    /**
     * Whether the rule acts at the end of epochs ({@link #afterEpoch}), so that a training loop
     * that never ends one leaves it idle; the layer then warns. False by default.
     */
    default boolean usesEpochs() {
        return false;
    }

    /**
     * The rule for a run of {@code plannedSteps} optimizer steps in all, told before training
     * starts: a rule whose schedule needs a horizon and was built without one returns a copy with
     * it; the default returns this rule unchanged.
     */
    default Rewiring forRun(long plannedSteps) {
        return this;
    }
}
