package org.sparselinear.nn;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import org.sparselinear.api.Layer;

/**
 * A layer whose state follows the training schedule: a {@link SparseLinear} with a rewiring (RigL
 * rewires after some steps, SET after every epoch) or a {@link KWinners} (its boost strength
 * decays after every epoch). A training loop tells the model after each optimizer step and at the
 * end of each epoch:
 * <pre>{@code
 * for (int epoch = 1; epoch <= epochs; epoch++) {
 *     for (Batch batch : loader) {
 *         try (MemoryScope step = backend.newScope()) {
 *             optimizer.zeroGrad();
 *             criterion.forward(model.forward(batch.features(backend)), batch.labels()).backward();
 *             optimizer.step();
 *             TrainingHooks.afterStep(model);
 *         }
 *     }
 *     // evaluate here, then:
 *     TrainingHooks.afterEpoch(model);
 * }
 * }</pre>
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

    /** Called once after each optimizer step, in training mode. */
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
