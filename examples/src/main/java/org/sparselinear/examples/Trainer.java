package org.sparselinear.examples;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.function.Consumer;
import org.sparselinear.api.Backend;
import org.sparselinear.api.GradMode;
import org.sparselinear.api.Layer;
import org.sparselinear.api.MemoryScope;
import org.sparselinear.api.Tensor;
import org.sparselinear.data.Batch;
import org.sparselinear.data.DataLoader;
import org.sparselinear.nn.Divergence;
import org.sparselinear.nn.TrainingDivergedException;
import org.sparselinear.nn.TrainingHooks;
import org.sparselinear.nn.loss.CrossEntropyLoss;
import org.sparselinear.nn.optim.Optimizer;
import org.sparselinear.nn.train.Progress;

/**
 * The classification training loop the {@code demo}, {@code train} and {@code wide} commands
 * share: epochs over a loader with cross-entropy and an optimizer, each step inside its own
 * {@link MemoryScope} and followed by the model's {@link TrainingHooks#afterStep}, then an
 * evaluation of the whole test set in evaluation mode with gradients off, then the model's
 * {@link TrainingHooks#afterEpoch}.
 *
 * <p>Epoch {@code e} visits the batches of {@code loader.epoch(e)}, which depend only on the
 * loader's seed and {@code e}, so a run resumed from a checkpoint with {@link #fit(int, int,
 * DataLoader, DataLoader, Consumer)} and {@link #resumeAt(long)} continues exactly as the
 * uninterrupted run. The loss is checked every step; a NaN or infinite loss stops training with a
 * {@link TrainingException} that names the step and the first layer whose output was not finite.
 */
public final class Trainer {

    private final Backend backend;
    private final Layer model;
    private final Optimizer optimizer;
    private final CrossEntropyLoss criterion = new CrossEntropyLoss();
    private final Progress.Factory progress;
    private final TimeSource time;
    private long step;

    /**
     * @param backend where batches are uploaded (the model's backend)
     * @param model the network, producing logits
     * @param optimizer updates the model's parameters
     * @param progress a display per pass, or {@link Progress#none()}
     * @param time the clock durations are measured with
     */
    public Trainer(Backend backend, Layer model, Optimizer optimizer, Progress.Factory progress, TimeSource time) {
        this.backend = Objects.requireNonNull(backend, "backend");
        this.model = Objects.requireNonNull(model, "model");
        this.optimizer = Objects.requireNonNull(optimizer, "optimizer");
        this.progress = Objects.requireNonNull(progress, "progress");
        this.time = Objects.requireNonNull(time, "time");
    }

    /** Optimizer steps taken so far (including those before {@link #resumeAt}). */
    public long step() {
        return step;
    }

    /** Continues the step count of a resumed run: the next step is {@code completedSteps + 1}. */
    public void resumeAt(long completedSteps) {
        if (completedSteps < 0) {
            throw new IllegalArgumentException("completed steps must be >= 0, got " + completedSteps);
        }
        this.step = completedSteps;
    }

    /** Trains {@code epochs} epochs, evaluating after each; {@code onEpoch} sees each result as it comes. */
    public List<EpochStats> fit(int epochs, DataLoader train, DataLoader test, Consumer<EpochStats> onEpoch) {
        return fit(1, epochs, train, test, onEpoch);
    }

    /**
     * Trains epochs {@code firstEpoch} to {@code epochs} (1-based, inclusive), evaluating after
     * each; {@code onEpoch} sees each result as it comes, after the epoch's hooks have run (the
     * moment to write a checkpoint).
     */
    public List<EpochStats> fit(
            int firstEpoch, int epochs, DataLoader train, DataLoader test, Consumer<EpochStats> onEpoch) {
        if (firstEpoch < 1) {
            throw new IllegalArgumentException("the first epoch is 1-based, got " + firstEpoch);
        }
        List<EpochStats> history = new ArrayList<>();
        for (int epoch = firstEpoch; epoch <= epochs; epoch++) {
            PhaseStats trained = trainEpoch(train.epoch(epoch), train.size(), "epoch " + epoch + "/" + epochs);
            PhaseStats tested = evaluate(test);
            TrainingHooks.afterEpoch(model);
            EpochStats stats = new EpochStats(epoch, trained, tested);
            history.add(stats);
            onEpoch.accept(stats);
        }
        return history;
    }

    /** One pass over {@code loader} (its next epoch) in training mode, updating the parameters after every batch. */
    public PhaseStats trainEpoch(DataLoader loader, String task) {
        return trainEpoch(loader, loader.size(), task);
    }

    /** One pass over {@code batches} ({@code count} of them) in training mode, updating after every batch. */
    @SuppressWarnings("try") // the scopes are used for what they free on close
    public PhaseStats trainEpoch(Iterable<Batch> batches, int count, String task) {
        model.train();
        double lossSum = 0;
        long correct = 0;
        long samples = 0;
        long start = time.monotonicNanos();
        try (Progress bar = progress.start(task, count)) {
            for (Batch batch : batches) {
                step++;
                int[] labels = batch.labels();
                float loss;
                try (MemoryScope scope = backend.newScope()) {
                    Tensor input = batch.features(backend);
                    Tensor logits = model.forward(input);
                    Tensor lossTensor = criterion.forward(logits, labels);
                    loss = lossTensor.item();
                    try {
                        Divergence.check(loss, step, model, input);
                    } catch (TrainingDivergedException e) {
                        throw new TrainingException(
                                e.getMessage()
                                        .replaceFirst(
                                                "^(training diverged at step \\d+)",
                                                "$1 (" + java.util.regex.Matcher.quoteReplacement(task) + ")"),
                                e);
                    }
                    correct += countCorrect(backend.argmaxRows(logits.value()), labels);
                    optimizer.zeroGrad();
                    lossTensor.backward();
                    optimizer.step();
                    TrainingHooks.afterStep(model);
                }
                lossSum += (double) loss * labels.length;
                samples += labels.length;
                if (bar.showsMessages()) {
                    double seconds = (time.monotonicNanos() - start) / 1e9;
                    bar.step(String.format(
                            Locale.ROOT,
                            "loss %.4f, %.0f samples/s",
                            lossSum / samples,
                            seconds > 0 ? samples / seconds : 0));
                } else {
                    bar.step(null);
                }
            }
        }
        return stats(lossSum, correct, samples, start);
    }

    /** One pass over {@code loader} in evaluation mode with gradients off; leaves the model in evaluation mode. */
    @SuppressWarnings("try") // the scopes are used for what they free on close
    public PhaseStats evaluate(DataLoader loader) {
        model.eval();
        double lossSum = 0;
        long correct = 0;
        long samples = 0;
        long start = time.monotonicNanos();
        try (GradMode off = GradMode.disable()) {
            for (Batch batch : loader) {
                int[] labels = batch.labels();
                try (MemoryScope scope = backend.newScope()) {
                    Tensor logits = model.forward(batch.features(backend));
                    lossSum += (double) criterion.forward(logits, labels).item() * labels.length;
                    correct += countCorrect(backend.argmaxRows(logits.value()), labels);
                }
                samples += labels.length;
            }
        }
        return stats(lossSum, correct, samples, start);
    }

    private PhaseStats stats(double lossSum, long correct, long samples, long start) {
        double seconds = (time.monotonicNanos() - start) / 1e9;
        if (samples == 0) {
            return new PhaseStats(Double.NaN, Double.NaN, 0, seconds);
        }
        return new PhaseStats(lossSum / samples, 100.0 * correct / samples, samples, seconds);
    }

    static int countCorrect(int[] predicted, int[] labels) {
        int correct = 0;
        for (int i = 0; i < labels.length; i++) {
            if (predicted[i] == labels[i]) {
                correct++;
            }
        }
        return correct;
    }
}
