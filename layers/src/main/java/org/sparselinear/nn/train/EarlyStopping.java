package org.sparselinear.nn.train;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import org.sparselinear.io.Checkpoint;

/**
 * Stops training when a validation metric has not improved for {@code patience} epochs, and
 * restores the model (and the optimizer's state) of the best epoch at the end of the run, as
 * Keras's {@code EarlyStopping(restore_best_weights=True)} does. An epoch improves on the best when
 * its value is better by more than {@code minDelta}, in the metric's direction ({@link Mode}); the
 * best model is kept in memory as checkpoint bytes (its connections too, for rewired layers),
 * taken as measured: before the epoch's after-epoch hooks.
 *
 * <p>In a run that prunes ({@link Trainer.Builder#pruning}), the epochs evaluated before the
 * pruning schedule's end step are not compared: the model is still losing weights, a denser model
 * is not a candidate, and its layers are replaced by the next pruning step (so it could not be
 * restored into the model). They neither become the best nor count towards the patience; the run
 * does not stop before its pruning is done, and the best model is one at the final sparsity.
 *
 * <pre>{@code
 * EarlyStopping.on(Metric.ACCURACY).patience(3).minDelta(0.001)
 * }</pre>
 * One instance serves one run.
 */
public final class EarlyStopping implements TrainingListener {

    /** Whether smaller or larger values are better. */
    public enum Mode {
        /** Smaller is better (a loss, an error). */
        MIN,
        /** Larger is better (an accuracy). */
        MAX
    }

    private final Metric metric;
    private int patience = 1;
    private double minDelta;
    private Mode mode;
    private double best = Double.NaN;
    private int bestEpoch;
    private int epochsWithoutImprovement;
    private byte[] bestState;

    private EarlyStopping(Metric metric) {
        this.metric = Objects.requireNonNull(metric, "metric");
        this.mode = metric.higherIsBetter() ? Mode.MAX : Mode.MIN;
    }

    /** Early stopping on {@code metric} of the validation set, patience 1, min delta 0, in the metric's natural mode. */
    public static EarlyStopping on(Metric metric) {
        return new EarlyStopping(metric);
    }

    /** Epochs without improvement after which the run stops, at least 1. */
    public EarlyStopping patience(int patience) {
        if (patience < 1) {
            throw new IllegalArgumentException(
                    "the patience (epochs without improvement) must be at least 1, got " + patience);
        }
        this.patience = patience;
        return this;
    }

    /** The least change that counts as an improvement, >= 0. */
    public EarlyStopping minDelta(double minDelta) {
        if (!(minDelta >= 0 && Double.isFinite(minDelta))) {
            throw new IllegalArgumentException("the min delta must be finite and >= 0, got " + minDelta);
        }
        this.minDelta = minDelta;
        return this;
    }

    /** Overrides the metric's natural direction. */
    public EarlyStopping mode(Mode mode) {
        this.mode = Objects.requireNonNull(mode, "mode");
        return this;
    }

    /** The best value seen, NaN before the first epoch. */
    public double bestValue() {
        return best;
    }

    /** The 1-based epoch of the best value, 0 before the first epoch. */
    public int bestEpoch() {
        return bestEpoch;
    }

    @Override
    public void onTrainingStart(TrainingRun run) {
        if (!run.hasValidation()) {
            throw new IllegalStateException("early stopping on " + metric + " watches the validation set, but the "
                    + "trainer has none; give it one with Trainer.builder(...).validation(data)");
        }
    }

    @Override
    public void onEpochEvaluated(TrainingRun run, EpochMetrics metrics) {
        if (run.pruning().filter(pruning -> !pruning.isFinished()).isPresent()) {
            return;
        }
        double value = metric.of(metrics.validation());
        if (bestEpoch == 0 || improves(value)) {
            best = value;
            bestEpoch = metrics.epoch();
            epochsWithoutImprovement = 0;
            bestState = Checkpoint.toBytes(run.model(), run.optimizer(), run.progress(), Map.of());
            return;
        }
        if (++epochsWithoutImprovement >= patience) {
            run.requestStop(String.format(
                    Locale.ROOT,
                    "early stopping: validation %s has not improved on %s (epoch %d) for %d epochs",
                    metric,
                    best,
                    bestEpoch,
                    epochsWithoutImprovement));
        }
    }

    private boolean improves(double value) {
        return mode == Mode.MAX ? value > best + minDelta : value < best - minDelta;
    }

    /** Restores the best epoch's model and optimizer state, unless the last epoch was the best. */
    @Override
    public void onTrainingEnd(TrainingRun run, List<EpochMetrics> history) {
        if (bestState == null
                || history.isEmpty()
                || history.get(history.size() - 1).epoch() == bestEpoch) {
            return;
        }
        try {
            Checkpoint.read(bestState, "the best epoch (" + bestEpoch + ")").restore(run.model(), run.optimizer());
        } catch (IOException e) {
            throw new UncheckedIOException("could not restore the best epoch's model: " + e.getMessage(), e);
        }
    }
}
