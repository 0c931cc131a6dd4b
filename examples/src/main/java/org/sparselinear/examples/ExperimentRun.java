package org.sparselinear.examples;

import java.util.ArrayList;
import java.util.IdentityHashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.function.Consumer;
import org.sparselinear.api.Backend;
import org.sparselinear.api.Connectivity;
import org.sparselinear.api.Layer;
import org.sparselinear.api.MemoryScope;
import org.sparselinear.api.Tensor;
import org.sparselinear.data.Batch;
import org.sparselinear.data.DataLoader;
import org.sparselinear.nn.Divergence;
import org.sparselinear.nn.Parameters;
import org.sparselinear.nn.SparseLinear;
import org.sparselinear.nn.TrainingDivergedException;
import org.sparselinear.nn.TrainingHooks;
import org.sparselinear.nn.loss.CrossEntropyLoss;
import org.sparselinear.nn.optim.Optimizer;
import org.sparselinear.nn.train.Progress;

/**
 * Trains one model of the experiments: epochs of SGD steps, each in its own memory scope and
 * followed by the model's {@link TrainingHooks#afterStep} (RigL rewires there); after each epoch
 * an evaluation of the whole test set (in evaluation mode, gradients off), then
 * {@link TrainingHooks#afterEpoch} (SET rewires, K-Winners' boost decays), so an epoch is measured
 * before its rewiring; nothing follows the last epoch, so its hooks are skipped (SET's reference
 * code does not evolve the connections after the last epoch either). Records per-epoch statistics, the training loss every few steps and what
 * the rewiring changed.
 */
final class ExperimentRun {

    /** Training-loss points recorded per epoch (each the mean over its window of steps). */
    static final int TRACE_POINTS_PER_EPOCH = 10;

    /** What one model's training gave. */
    record Result(
            Experiment experiment,
            long parameters,
            List<EpochStats> epochs,
            List<double[]> lossTrace,
            int rewiringEvents,
            long rewiredConnections,
            Connectivity firstLayerStart,
            Connectivity firstLayerEnd) {

        double finalTestAccuracy() {
            return epochs.get(epochs.size() - 1).test().accuracy();
        }

        double trainSecondsPerEpoch() {
            return epochs.stream()
                    .mapToDouble(e -> e.train().seconds())
                    .average()
                    .orElse(Double.NaN);
        }

        Map<String, Object> toJson(int connectionsPerInput) {
            Map<String, Object> json = new LinkedHashMap<>();
            json.put("model", experiment.label());
            json.put("description", experiment.description().replace("C random", connectionsPerInput + " random"));
            json.put("learning_rate", experiment.learningRate());
            json.put("parameters", parameters);
            json.put("final_test_accuracy", finalTestAccuracy());
            json.put("train_seconds_per_epoch", trainSecondsPerEpoch());
            if (firstLayerStart != null) {
                json.put("first_layer_connections", firstLayerStart.nnz());
            }
            json.put("rewiring_events", rewiringEvents);
            json.put("rewired_connections", rewiredConnections);
            List<Object> epochJson = new ArrayList<>();
            for (EpochStats stats : epochs) {
                epochJson.add(stats.toJson());
            }
            json.put("epochs", epochJson);
            List<Object> trace = new ArrayList<>();
            for (double[] point : lossTrace) {
                trace.add(List.of(point[0], point[1]));
            }
            json.put("train_loss_trace", trace);
            return json;
        }
    }

    private final Experiment experiment;
    private final Backend backend;
    private final Layer model;
    private final Optimizer optimizer;
    private final Progress.Factory progress;
    private final TimeSource time;
    private final CrossEntropyLoss criterion = new CrossEntropyLoss();
    private final List<SparseLinear> rewiringLayers = new ArrayList<>();
    private long step;
    private int rewiringEvents;
    private long rewiredConnections;

    ExperimentRun(
            Experiment experiment,
            Backend backend,
            Layer model,
            Optimizer optimizer,
            Progress.Factory progress,
            TimeSource time) {
        this.experiment = Objects.requireNonNull(experiment, "experiment");
        this.backend = Objects.requireNonNull(backend, "backend");
        this.model = Objects.requireNonNull(model, "model");
        this.optimizer = Objects.requireNonNull(optimizer, "optimizer");
        this.progress = Objects.requireNonNull(progress, "progress");
        this.time = Objects.requireNonNull(time, "time");
        for (TrainingHooks hooks : TrainingHooks.find(model)) {
            if (hooks instanceof SparseLinear layer && layer.rewiring() != null) {
                rewiringLayers.add(layer);
            }
        }
    }

    /** The first sparse layer of the model, or null for a dense model. */
    static SparseLinear firstSparseLayer(Layer model) {
        for (TrainingHooks hooks : TrainingHooks.find(model)) {
            if (hooks instanceof SparseLinear layer) {
                return layer;
            }
        }
        return null;
    }

    Result fit(int epochs, DataLoader train, DataLoader test, Consumer<EpochStats> onEpoch) {
        SparseLinear first = firstSparseLayer(model);
        Connectivity start = first != null ? first.connectivity() : null;
        Trainer evaluator = new Trainer(backend, model, optimizer, Progress.none(), time);
        List<EpochStats> history = new ArrayList<>();
        List<double[]> trace = new ArrayList<>();
        for (int epoch = 1; epoch <= epochs; epoch++) {
            PhaseStats trained = trainEpoch(train, epoch, epochs, trace);
            PhaseStats tested = evaluator.evaluate(test);
            EpochStats stats = new EpochStats(epoch, trained, tested);
            history.add(stats);
            onEpoch.accept(stats);
            if (epoch < epochs) {
                countingRewiring(() -> TrainingHooks.afterEpoch(model));
            }
        }
        return new Result(
                experiment,
                Parameters.count(model.parameters()),
                history,
                trace,
                rewiringEvents,
                rewiredConnections,
                start,
                first != null ? first.connectivity() : null);
    }

    @SuppressWarnings("try") // the scopes are used for what they free on close
    private PhaseStats trainEpoch(DataLoader loader, int epoch, int epochs, List<double[]> trace) {
        model.train();
        int batches = loader.size();
        int window = Math.max(1, batches / TRACE_POINTS_PER_EPOCH);
        double lossSum = 0;
        double windowSum = 0;
        int windowSteps = 0;
        long correct = 0;
        long samples = 0;
        int index = 0;
        long start = time.monotonicNanos();
        try (Progress bar = progress.start(experiment.label() + " epoch " + epoch + "/" + epochs, batches)) {
            for (Batch batch : loader) {
                step++;
                index++;
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
                        throw new TrainingException("model " + experiment.label() + ": " + e.getMessage(), e);
                    }
                    correct += Trainer.countCorrect(backend.argmaxRows(logits.value()), labels);
                    optimizer.zeroGrad();
                    lossTensor.backward();
                    optimizer.step();
                    countingRewiring(() -> TrainingHooks.afterStep(model));
                }
                lossSum += (double) loss * labels.length;
                samples += labels.length;
                windowSum += loss;
                windowSteps++;
                if (windowSteps == window || index == batches) {
                    trace.add(new double[] {epoch - 1 + (double) index / batches, windowSum / windowSteps});
                    windowSum = 0;
                    windowSteps = 0;
                }
                bar.step(bar.showsMessages() ? String.format(Locale.ROOT, "loss %.4f", lossSum / samples) : null);
            }
        }
        double seconds = (time.monotonicNanos() - start) / 1e9;
        return new PhaseStats(lossSum / samples, 100.0 * correct / samples, samples, seconds);
    }

    /** Runs a hook and counts the layers it rewired and the connections that are new. */
    private void countingRewiring(Runnable hook) {
        Map<SparseLinear, Connectivity> before = new IdentityHashMap<>();
        for (SparseLinear layer : rewiringLayers) {
            before.put(layer, layer.connectivity());
        }
        hook.run();
        for (SparseLinear layer : rewiringLayers) {
            Connectivity old = before.get(layer);
            if (old != layer.connectivity()) {
                long added = added(old, layer.connectivity());
                if (added > 0) {
                    rewiringEvents++;
                    rewiredConnections += added;
                }
            }
        }
    }

    /** Positions of {@code now} that {@code old} lacks (a merge along each row's sorted columns). */
    static long added(Connectivity old, Connectivity now) {
        long added = 0;
        for (int r = 0; r < now.rows(); r++) {
            int k = old.rowStart(r);
            int end = old.rowStart(r + 1);
            for (int j = now.rowStart(r); j < now.rowStart(r + 1); j++) {
                int column = now.column(j);
                while (k < end && old.column(k) < column) {
                    k++;
                }
                if (k >= end || old.column(k) != column) {
                    added++;
                }
            }
        }
        return added;
    }
}
