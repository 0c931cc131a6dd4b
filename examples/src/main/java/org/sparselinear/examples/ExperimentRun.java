package org.sparselinear.examples;

import java.util.ArrayList;
import java.util.IdentityHashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.function.Consumer;
import org.sparselinear.api.Connectivity;
import org.sparselinear.api.Layer;
import org.sparselinear.data.DataLoader;
import org.sparselinear.nn.Parameters;
import org.sparselinear.nn.SparseLinear;
import org.sparselinear.nn.TrainingDivergedException;
import org.sparselinear.nn.TrainingHooks;
import org.sparselinear.nn.loss.CrossEntropyLoss;
import org.sparselinear.nn.optim.Optimizer;
import org.sparselinear.nn.train.EpochMetrics;
import org.sparselinear.nn.train.Progress;
import org.sparselinear.nn.train.ProgressBarListener;
import org.sparselinear.nn.train.StepResult;
import org.sparselinear.nn.train.Trainer;
import org.sparselinear.nn.train.TrainingListener;
import org.sparselinear.nn.train.TrainingRun;

/**
 * Trains one model of the experiments with the layers' {@link Trainer}: epochs of SGD steps (RigL
 * rewires as the optimizer steps); after each epoch an evaluation of the whole test set (in
 * evaluation mode, gradients off), then the after-epoch hooks (SET rewires, K-Winners' boost
 * decays), so an epoch is measured before its rewiring. The last epoch's rewiring is neither
 * counted nor shown (SET's reference code does not evolve the connections after the last epoch).
 * Records per-epoch statistics, the training loss every few steps and what the rewiring changed.
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
    private final Layer model;
    private final Optimizer optimizer;
    private final Progress.Factory progress;
    private final TimeSource time;
    private final List<SparseLinear> rewiringLayers = new ArrayList<>();
    private int rewiringEvents;
    private long rewiredConnections;

    ExperimentRun(Experiment experiment, Layer model, Optimizer optimizer, Progress.Factory progress, TimeSource time) {
        this.experiment = Objects.requireNonNull(experiment, "experiment");
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
        Connectivity[] end = {start};
        List<EpochStats> history = new ArrayList<>();
        List<double[]> trace = new ArrayList<>();
        Map<SparseLinear, Connectivity> seen = new IdentityHashMap<>();
        rewiringLayers.forEach(layer -> seen.put(layer, layer.connectivity()));
        TrainingListener record = new TrainingListener() {
            private double windowSum;
            private int windowSteps;

            @Override
            public void onStep(TrainingRun run, StepResult step) {
                countRewiring(seen);
                int window = Math.max(1, step.batches() / TRACE_POINTS_PER_EPOCH);
                windowSum += step.loss();
                windowSteps++;
                if (windowSteps == window || step.batch() == step.batches()) {
                    trace.add(new double[] {
                        step.epoch() - 1 + (double) step.batch() / step.batches(), windowSum / windowSteps
                    });
                    windowSum = 0;
                    windowSteps = 0;
                }
            }

            @Override
            public void onEpochEvaluated(TrainingRun run, EpochMetrics metrics) {
                EpochStats stats = EpochStats.of(metrics);
                history.add(stats);
                onEpoch.accept(stats);
                end[0] = first != null ? first.connectivity() : null;
            }

            @Override
            public void onEpochEnd(TrainingRun run, EpochMetrics metrics) {
                // the last epoch's rewiring is not reported: the run ends with the model it measured
                if (metrics.epoch() < metrics.epochs()) {
                    countRewiring(seen);
                }
            }
        };
        try {
            Trainer.builder(model, optimizer, new CrossEntropyLoss())
                    .epochs(epochs)
                    .validation(test.dataset())
                    .evaluationBatchSize(test.batchSize())
                    .clock(time::monotonicNanos)
                    .listeners(new ProgressBarListener(progress, experiment.label() + " "), record)
                    .build()
                    .fit(train);
        } catch (TrainingDivergedException e) {
            throw new TrainingException("model " + experiment.label() + ": " + e.getMessage(), e);
        }
        return new Result(
                experiment,
                Parameters.count(model.parameters()),
                history,
                trace,
                rewiringEvents,
                rewiredConnections,
                start,
                end[0]);
    }

    /** Counts the layers rewired since {@code seen} recorded their connections, and the connections that are new. */
    private void countRewiring(Map<SparseLinear, Connectivity> seen) {
        for (SparseLinear layer : rewiringLayers) {
            Connectivity old = seen.get(layer);
            if (old != layer.connectivity()) {
                long added = added(old, layer.connectivity());
                if (added > 0) {
                    rewiringEvents++;
                    rewiredConnections += added;
                }
                seen.put(layer, layer.connectivity());
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
