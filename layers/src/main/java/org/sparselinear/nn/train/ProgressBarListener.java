package org.sparselinear.nn.train;

import java.util.Locale;
import java.util.Objects;

/**
 * A progress bar per epoch on standard error (or another {@link Progress.Factory}): one step per
 * batch, titled {@code "epoch e/E"}, showing the epoch's mean loss so far and the samples per second.
 */
public final class ProgressBarListener implements TrainingListener {

    private final Progress.Factory progress;
    private final String taskPrefix;
    private Progress bar;
    private double lossSum;
    private long samples;
    private long start;

    /** A text progress bar on standard error ({@link Progress#console}). */
    public ProgressBarListener() {
        this(Progress.console(System.err));
    }

    /** Bars made by {@code progress}, one per epoch. */
    public ProgressBarListener(Progress.Factory progress) {
        this(progress, "");
    }

    /** Bars made by {@code progress}, one per epoch, titled {@code taskPrefix + "epoch e/E"}. */
    public ProgressBarListener(Progress.Factory progress, String taskPrefix) {
        this.progress = Objects.requireNonNull(progress, "progress");
        this.taskPrefix = Objects.requireNonNull(taskPrefix, "taskPrefix");
    }

    @Override
    public void onEpochStart(TrainingRun run, int epoch, int batches) {
        closeBar();
        bar = progress.start(taskPrefix + "epoch " + epoch + "/" + run.epochs(), batches);
        lossSum = 0;
        samples = 0;
        start = run.nanoTime();
    }

    @Override
    public void onStep(TrainingRun run, StepResult step) {
        lossSum += (double) step.loss() * step.samples();
        samples += step.samples();
        if (bar.showsMessages()) {
            double seconds = (run.nanoTime() - start) / 1e9;
            bar.step(String.format(
                    Locale.ROOT, "loss %.4f, %.0f samples/s", lossSum / samples, seconds > 0 ? samples / seconds : 0));
        } else {
            bar.step(null);
        }
    }

    @Override
    public void onEpochEvaluated(TrainingRun run, EpochMetrics metrics) {
        closeBar();
    }

    @Override
    public void onTrainingEnd(TrainingRun run, java.util.List<EpochMetrics> history) {
        closeBar();
    }

    private void closeBar() {
        if (bar != null) {
            bar.close();
            bar = null;
        }
    }
}
