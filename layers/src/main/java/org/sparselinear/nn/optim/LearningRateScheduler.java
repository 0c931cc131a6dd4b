package org.sparselinear.nn.optim;

import java.util.Locale;
import java.util.Objects;

/**
 * Drives an {@link Optimizer}'s learning rate by a {@link LearningRateSchedule}, in PyTorch's
 * style: call {@link #step()} after each {@code optimizer.step()}.
 *
 * <pre>{@code
 * var optimizer = new AdamW(model.parameters(), 1e-3);
 * var scheduler = new LearningRateScheduler(optimizer,
 *         LearningRateSchedule.cosineWithWarmup(1e-3, 1e-5, 500, totalSteps));
 * for (...) { optimizer.zeroGrad(); loss.backward(); optimizer.step(); scheduler.step(); }
 * }</pre>
 *
 * <p>Its only state is the number of optimizer steps taken, and a checkpoint already holds it:
 * {@link org.sparselinear.nn.TrainingProgress#step()} counts the same steps. To resume, build the
 * scheduler with that count, {@code new LearningRateScheduler(optimizer, schedule,
 * checkpoint.progress().step())}: it sets the rate the uninterrupted run would use next, so the run
 * continues bit for bit (the rate is a pure function of the step). The optimizer's saved learning
 * rate, which {@link org.sparselinear.io.Checkpoint#buildOptimizer} restores, is that same rate.
 *
 * <p>Not thread-safe; one scheduler per optimizer.
 */
public final class LearningRateScheduler {

    private final Optimizer optimizer;
    private final LearningRateSchedule schedule;
    private long steps;

    /** A scheduler at the start of training: sets the optimizer's rate to {@code schedule.rate(0)}. */
    public LearningRateScheduler(Optimizer optimizer, LearningRateSchedule schedule) {
        this(optimizer, schedule, 0);
    }

    /**
     * A scheduler after {@code completedSteps} optimizer steps (a resumed run): sets the optimizer's
     * rate to {@code schedule.rate(completedSteps)}.
     *
     * @throws IllegalArgumentException when {@code completedSteps < 0} or the schedule's rate is not
     *         finite and positive
     * @throws UnsupportedOperationException when the optimizer has no learning rate to set
     */
    public LearningRateScheduler(Optimizer optimizer, LearningRateSchedule schedule, long completedSteps) {
        this.optimizer = Objects.requireNonNull(optimizer, "optimizer");
        this.schedule = Objects.requireNonNull(schedule, "schedule");
        this.steps = Schedules.requireStep(completedSteps);
        apply();
    }

    /**
     * Counts one optimizer step taken and sets the rate of the next one.
     *
     * @throws IllegalArgumentException when the schedule's rate is not finite and positive
     */
    public void step() {
        steps++;
        apply();
    }

    /** The number of optimizer steps counted so far (the step a checkpoint's progress holds). */
    public long steps() {
        return steps;
    }

    /** The rate the optimizer uses for its next step. */
    public double learningRate() {
        return optimizer.learningRate();
    }

    private void apply() {
        double rate = schedule.rate(steps);
        if (!(rate > 0) || Double.isInfinite(rate)) {
            throw new IllegalArgumentException(String.format(
                    Locale.ROOT,
                    "schedule %s gave learning rate %s after %d steps; a rate must be finite and > 0",
                    schedule,
                    rate,
                    steps));
        }
        optimizer.setLearningRate(rate);
    }

    @Override
    public String toString() {
        return "LearningRateScheduler(" + schedule + ", steps=" + steps + ", " + optimizer + ")";
    }
}
