package org.sparselinear.nn;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import org.sparselinear.api.Layer;

/**
 * A layer whose state follows the training schedule: a {@link SparseLinear} with a rewiring (RigL
 * rewires after some steps, SET after every epoch) or a {@link KWinners} (its boost strength
 * decays after every epoch).
 *
 * <p>Steps need no call: the built-in optimizers report every step to the parameters they update
 * ({@link Parameters#afterUpdate}), and a rewiring layer runs its after-step work from there.
 * {@link #afterStep(Layer)} is kept for loops written before that and for optimizers that do not
 * report their steps; after a reported step it does nothing, so no step is counted twice. Epochs
 * are the training loop's to tell: the {@code org.sparselinear.nn.train.Trainer} calls
 * {@link #beforeTraining(Layer, long)} once and {@link #afterEpoch(Layer)} after every epoch; a
 * hand-written loop calls them itself:
 * <pre>{@code
 * TrainingHooks.beforeTraining(model, epochs * loader.size());  // a RigL without a horizon takes it
 * for (int epoch = 1; epoch <= epochs; epoch++) {
 *     for (Batch batch : loader) {
 *         try (MemoryScope step = backend.newScope()) {
 *             optimizer.zeroGrad();
 *             criterion.forward(model.forward(batch.features(backend)), batch.labels()).backward();
 *             optimizer.step();                                   // rewires when it is time
 *         }
 *     }
 *     // evaluate here, then:
 *     TrainingHooks.afterEpoch(model);
 * }
 * }</pre>
 * A layer that works per epoch (SET, K-Winners) warns once when it has trained 1000 steps and no
 * epoch has ended in a run that {@link #beforeTraining(Layer, long)} did not announce.
 * The static methods find every such layer in the model, following {@link Sequential}s; a
 * container of another kind reaches its sub-layers by implementing this interface itself.
 */
public interface TrainingHooks {

    /**
     * Called once before training starts with the number of optimizer steps the run plans in all
     * ({@code epochs x batches per epoch}); a schedule without a horizon of its own (a RigL built
     * with {@code RigL.defaults()}) takes it from here.
     */
    default void beforeTraining(long plannedSteps) {}

    /**
     * Called after an optimizer step, in training mode, by loops that call the hooks; a layer that
     * learns of the step from its parameters ignores the call after a reported step.
     */
    default void afterStep() {}

    /** Called once at the end of each training epoch. */
    default void afterEpoch() {}

    /**
     * Calls {@link #beforeTraining(long)} on every layer of {@code model} that has hooks; the
     * {@code Trainer} does, and a hand-written loop may.
     *
     * @throws IllegalArgumentException when {@code plannedSteps < 1}
     */
    static void beforeTraining(Layer model, long plannedSteps) {
        if (plannedSteps < 1) {
            throw new IllegalArgumentException("a training run plans at least 1 step, got " + plannedSteps);
        }
        for (TrainingHooks layer : find(model)) {
            layer.beforeTraining(plannedSteps);
        }
    }

    /** Calls {@link #afterStep()} on every layer of {@code model} that has hooks. */
    static void afterStep(Layer model) {
        for (TrainingHooks layer : find(model)) {
            layer.afterStep();
        }
    }

    /** Calls {@link #afterEpoch()} on every layer of {@code model} that has hooks. */
    static void afterEpoch(Layer model) {
        for (TrainingHooks layer : find(model)) {
            layer.afterEpoch();
        }
    }

    /** The layers of {@code model} with hooks, depth first, in order; {@code model} itself if it has them. */
    static List<TrainingHooks> find(Layer model) {
        Objects.requireNonNull(model, "model");
        List<TrainingHooks> found = new ArrayList<>();
        collect(model, found);
        return found;
    }

    private static void collect(Layer layer, List<TrainingHooks> found) {
        if (layer instanceof TrainingHooks hooks) {
            found.add(hooks);
        } else if (layer instanceof Sequential sequential) {
            for (Layer child : sequential.layers()) {
                collect(child, found);
            }
        }
    }
}
