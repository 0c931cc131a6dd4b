package org.sparselinear.examples;

import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;
import java.util.regex.Matcher;
import org.sparselinear.api.Layer;
import org.sparselinear.data.DataLoader;
import org.sparselinear.data.Dataset;
import org.sparselinear.nn.TrainingDivergedException;
import org.sparselinear.nn.TrainingProgress;
import org.sparselinear.nn.loss.CrossEntropyLoss;
import org.sparselinear.nn.optim.Optimizer;
import org.sparselinear.nn.train.Progress;
import org.sparselinear.nn.train.ProgressBarListener;
import org.sparselinear.nn.train.Trainer;
import org.sparselinear.nn.train.TrainingListener;

/**
 * How the {@code demo}, {@code train}, {@code text} and {@code wide} commands train: the layers
 * module's {@link Trainer} with cross-entropy, a progress bar per epoch, the test set evaluated after
 * every epoch in batches of {@link MnistRun#TEST_BATCH}, each epoch reported as {@link EpochStats};
 * a diverging run becomes a {@link TrainingException} naming the epoch.
 */
final class CliTraining {

    private CliTraining() {}

    /**
     * Trains epochs {@code resumed.completedEpochs() + 1} (or 1) to {@code epochs} on {@code train},
     * evaluating {@code test} after each; {@code onEpoch} sees each epoch as it ends (after the
     * layers' after-epoch hooks, the moment to write a checkpoint).
     *
     * @param loss the cross-entropy, with or without label smoothing
     * @param resumed where a restored run stands, or null for a new run
     */
    static List<EpochStats> fit(
            Layer model,
            Optimizer optimizer,
            CrossEntropyLoss loss,
            DataLoader train,
            Dataset test,
            int epochs,
            TrainingProgress resumed,
            Progress.Factory progress,
            TimeSource time,
            Consumer<EpochStats> onEpoch) {
        List<EpochStats> history = new ArrayList<>();
        Trainer trainer = builder(model, optimizer, loss, test, epochs, resumed, progress, time, stats -> {
                    history.add(stats);
                    onEpoch.accept(stats);
                })
                .build();
        fit(trainer, train, epochs);
        return history;
    }

    /**
     * The CLI's trainer settings, for a command that adds its own (e.g. pruning) before building:
     * {@code epochs} in all, {@code test} evaluated after every epoch, a progress bar per epoch,
     * each epoch handed to {@code onEpoch} as it ends; resumed at {@code resumed} unless null.
     */
    static Trainer.Builder builder(
            Layer model,
            Optimizer optimizer,
            CrossEntropyLoss loss,
            Dataset test,
            int epochs,
            TrainingProgress resumed,
            Progress.Factory progress,
            TimeSource time,
            Consumer<EpochStats> onEpoch) {
        Trainer.Builder builder = Trainer.builder(model, optimizer, loss)
                .epochs(epochs)
                .validation(test)
                .evaluationBatchSize(MnistRun.TEST_BATCH)
                .clock(time::monotonicNanos)
                .listeners(
                        new ProgressBarListener(progress),
                        TrainingListener.onEpoch(metrics -> onEpoch.accept(EpochStats.of(metrics))));
        if (resumed != null) {
            builder.resumeAt(resumed);
        }
        return builder;
    }

    /**
     * Trains {@code trainer} (of {@code epochs} in all) on {@code train}; a diverging run becomes a
     * {@link TrainingException} naming the epoch.
     */
    static void fit(Trainer trainer, DataLoader train, int epochs) {
        try {
            trainer.fit(train);
        } catch (TrainingDivergedException e) {
            String epoch = "epoch " + (trainer.completedEpochs() + 1) + "/" + epochs;
            throw new TrainingException(
                    e.getMessage()
                            .replaceFirst(
                                    "^(training diverged at step \\d+)",
                                    "$1 (" + Matcher.quoteReplacement(epoch) + ")"),
                    e);
        }
    }
}
