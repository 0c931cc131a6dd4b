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
import org.sparselinear.nn.CrossEntropyLoss;
import org.sparselinear.nn.Optimizer;

/**
 * The classification training loop the {@code demo} and {@code train} commands share: epochs
 * over a loader with cross-entropy and an optimizer, each step inside its own
 * {@link MemoryScope}, followed by an evaluation of the whole test set in evaluation mode with
 * gradients off.
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

    /** Trains {@code epochs} epochs, evaluating after each; {@code onEpoch} sees each result as it comes. */
    public List<EpochStats> fit(int epochs, DataLoader train, DataLoader test, Consumer<EpochStats> onEpoch) {
        List<EpochStats> history = new ArrayList<>();
        for (int epoch = 1; epoch <= epochs; epoch++) {
            PhaseStats trained = trainEpoch(train, "epoch " + epoch + "/" + epochs);
            PhaseStats tested = evaluate(test);
            EpochStats stats = new EpochStats(epoch, trained, tested);
            history.add(stats);
            onEpoch.accept(stats);
        }
        return history;
    }

    /** One pass over {@code loader} in training mode, updating the parameters after every batch. */
    @SuppressWarnings("try") // the scopes are used for what they free on close
    public PhaseStats trainEpoch(DataLoader loader, String task) {
        model.train();
        double lossSum = 0;
        long correct = 0;
        long samples = 0;
        long start = time.nanoTime();
        try (Progress bar = progress.start(task, loader.size())) {
            for (Batch batch : loader) {
                step++;
                int[] labels = batch.labels();
                float loss;
                try (MemoryScope scope = backend.newScope()) {
                    Tensor logits = model.forward(batch.features(backend));
                    Tensor lossTensor = criterion.forward(logits, labels);
                    loss = lossTensor.item();
                    if (!Float.isFinite(loss)) {
                        throw new TrainingException(String.format(Locale.ROOT,
                                "the training loss became %s at step %d (%s): lower the learning rate", loss, step, task));
                    }
                    correct += countCorrect(backend.argmaxRows(logits.value()), labels);
                    optimizer.zeroGrad();
                    lossTensor.backward();
                    optimizer.step();
                }
                lossSum += (double) loss * labels.length;
                samples += labels.length;
                if (bar.showsMessages()) {
                    double seconds = (time.nanoTime() - start) / 1e9;
                    bar.step(String.format(Locale.ROOT, "loss %.4f, %.0f samples/s", lossSum / samples,
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
        long start = time.nanoTime();
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
        double seconds = (time.nanoTime() - start) / 1e9;
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
