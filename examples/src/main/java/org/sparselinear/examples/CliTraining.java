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
import org.sparselinear.nn.train.EpochMetrics;
import org.sparselinear.nn.train.Progress;
import org.sparselinear.nn.train.ProgressBarListener;
import org.sparselinear.nn.train.Trainer;
import org.sparselinear.nn.train.TrainingListener;
import org.sparselinear.nn.train.TrainingRun;

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
        int[] epoch = {0};
        TrainingListener report = new TrainingListener() {
            @Override
            public void onEpochStart(TrainingRun run, int number, int batches) {
                epoch[0] = number;
            }

            @Override
            public void onEpochEnd(TrainingRun run, EpochMetrics metrics) {
                EpochStats stats = EpochStats.of(metrics);
                history.add(stats);
                onEpoch.accept(stats);
            }
        };
        Trainer.Builder builder = Trainer.builder(model, optimizer, loss)
                .epochs(epochs)
                .validation(test)
                .evaluationBatchSize(MnistRun.TEST_BATCH)
                .clock(time::monotonicNanos)
                .listeners(new ProgressBarListener(progress), report);
        if (resumed != null) {
            builder.resumeAt(resumed);
        }
        try {
            builder.build().fit(train);
        } catch (TrainingDivergedException e) {
            throw new TrainingException(
                    e.getMessage()
                            .replaceFirst(
                                    "^(training diverged at step \\d+)",
                                    "$1 (" + Matcher.quoteReplacement("epoch " + epoch[0] + "/" + epochs) + ")"),
                    e);
        }
        return history;
    }
}
