package org.sparselinear.nn;

import java.util.function.Supplier;

/**
 * Makes a layer whose training schedule advances at the end of epochs (SET's rewiring, K-Winners'
 * boost decay) say once when it has trained {@value #STEPS_BEFORE_WARNING} steps and no epoch has
 * ended, unless the run was announced with {@link TrainingHooks#beforeTraining} (as the
 * {@code Trainer} does, which ends every epoch). A hand-written loop has no epochs the layer could
 * see; it must call {@link TrainingHooks#afterEpoch(org.sparselinear.api.Layer)}, and this is how
 * it is told (logger {@code org.sparselinear.nn}).
 */
final class EpochWatch {

    /** Training steps without an epoch's end that make a layer warn. */
    static final int STEPS_BEFORE_WARNING = 1000;

    private static final System.Logger LOGGER = System.getLogger("org.sparselinear.nn");

    private long stepsWithoutEpoch;
    private boolean quiet;

    /** The run was announced: epochs will be ended. */
    void announced() {
        quiet = true;
    }

    /** An epoch ended. */
    void epochEnded() {
        quiet = true;
    }

    /** One training step; {@code work} names the layer and what it does per epoch, for the warning. */
    void step(Supplier<String> work) {
        if (quiet || ++stepsWithoutEpoch < STEPS_BEFORE_WARNING) {
            return;
        }
        quiet = true;
        LOGGER.log(
                System.Logger.Level.WARNING,
                work.get() + " has trained " + STEPS_BEFORE_WARNING + " steps and no epoch has ended, so that work "
                        + "is not running. Train with org.sparselinear.nn.train.Trainer, which ends every epoch, or "
                        + "call TrainingHooks.afterEpoch(model) at the end of each epoch of your loop (calling "
                        + "TrainingHooks.beforeTraining(model, plannedSteps) first says that you do)");
    }
}
