package org.sparselinear.nn.train;

import java.util.List;
import java.util.Objects;
import java.util.function.Consumer;

/**
 * Follows a {@link Trainer#fit} run: called at its start and end, at the start of each epoch,
 * after each optimizer step, and twice at the end of each epoch: once its validation is measured
 * ({@link #onEpochEvaluated}, before the layers' after-epoch hooks, so the model is the one
 * measured) and once the epoch is complete ({@link #onEpochEnd}, the moment to save a checkpoint).
 * Every method does nothing by default. Listeners are called in the order given to the builder.
 */
public interface TrainingListener {

    /** Before the first epoch of the run (or of its resumed part). */
    default void onTrainingStart(TrainingRun run) {}

    /** Before epoch {@code epoch} (1-based), which has {@code batches} batches. */
    default void onEpochStart(TrainingRun run, int epoch, int batches) {}

    /** After each optimizer step. */
    default void onStep(TrainingRun run, StepResult step) {}

    /** After the epoch's training pass and validation, before the layers' after-epoch hooks. */
    default void onEpochEvaluated(TrainingRun run, EpochMetrics metrics) {}

    /** At the end of the epoch, after the layers' after-epoch hooks: the run can resume from here. */
    default void onEpochEnd(TrainingRun run, EpochMetrics metrics) {}

    /** After the last epoch, or after an epoch at which a listener asked the run to stop. */
    default void onTrainingEnd(TrainingRun run, List<EpochMetrics> history) {}

    /** A listener that hands every completed epoch's metrics to {@code callback} (at {@link #onEpochEnd}). */
    static TrainingListener onEpoch(Consumer<EpochMetrics> callback) {
        Objects.requireNonNull(callback, "callback");
        return new TrainingListener() {
            @Override
            public void onEpochEnd(TrainingRun run, EpochMetrics metrics) {
                callback.accept(metrics);
            }
        };
    }
}
