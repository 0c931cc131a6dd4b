package org.sparselinear.nn.optim;

/**
 * A learning rate as a function of the number of optimizer steps already taken: {@code rate(0)}
 * drives the first step, {@code rate(s)} the step after {@code s} steps. A
 * {@link LearningRateScheduler} applies it to an {@link Optimizer} between steps. A schedule is a
 * pure function of the step, so a run resumed from a checkpoint at step {@code s} continues it
 * exactly; it keeps no state.
 *
 * <p>The built-in schedules (PyTorch's {@code StepLR}, {@code LinearLR} warm-up and
 * {@code CosineAnnealingLR} after a warm-up, as in Goyal et al. 2017, "Accurate, Large Minibatch
 * SGD: Training ImageNet in 1 Hour", and Loshchilov and Hutter 2017, "SGDR: Stochastic Gradient
 * Descent with Warm Restarts", without restarts) check their arguments and give a finite rate
 * {@code > 0} at every step. A schedule of one's own is a lambda.
 */
@FunctionalInterface
public interface LearningRateSchedule {

    /**
     * The learning rate of the step that follows {@code step} completed steps ({@code step >= 0});
     * the {@link LearningRateScheduler} rejects a rate that is not finite and positive.
     */
    double rate(long step);

    /**
     * Step decay (PyTorch's {@code StepLR}): {@code base * gamma^floor(step / stepSize)}, the rate
     * multiplied by {@code gamma} every {@code stepSize} steps.
     *
     * @param base the first rate, finite, > 0
     * @param stepSize steps between decays, > 0
     * @param gamma the factor, in (0, 1]
     * @throws IllegalArgumentException naming the bad argument
     */
    static LearningRateSchedule stepDecay(double base, long stepSize, double gamma) {
        return new Schedules.StepDecay(base, stepSize, gamma);
    }

    /**
     * Linear warm-up, then constant: {@code base * (step + 1) / warmupSteps} for the first
     * {@code warmupSteps} steps (so the first step runs at {@code base / warmupSteps} and step
     * {@code warmupSteps} reaches {@code base}), {@code base} afterwards. Unlike a warm-up from 0,
     * no step runs at rate 0.
     *
     * @param base the rate reached, finite, > 0
     * @param warmupSteps steps of warm-up, > 0
     * @throws IllegalArgumentException naming the bad argument
     */
    static LearningRateSchedule linearWarmup(double base, long warmupSteps) {
        if (warmupSteps <= 0) {
            throw new IllegalArgumentException("linear warm-up steps must be > 0, got " + warmupSteps);
        }
        return new Schedules.Cosine(base, base, warmupSteps, warmupSteps);
    }

    /**
     * Linear warm-up to {@code base} as {@link #linearWarmup} over {@code warmupSteps} steps (none
     * when 0), then cosine annealing to {@code minimum} at step {@code totalSteps}:
     * {@code minimum + (base - minimum) (1 + cos(pi (step - warmupSteps) / (totalSteps - warmupSteps))) / 2},
     * and {@code minimum} from step {@code totalSteps} on (no restart).
     *
     * @param base the rate after warm-up, finite, > 0
     * @param minimum the final rate, finite, in (0, base]: a rate of 0 would make the optimizer's
     *        steps do nothing, so pass a small fraction of {@code base} where PyTorch's
     *        {@code eta_min} would be 0
     * @param warmupSteps steps of warm-up, in [0, totalSteps)
     * @param totalSteps the step at which the rate reaches {@code minimum}, > 0
     * @throws IllegalArgumentException naming the bad argument
     */
    static LearningRateSchedule cosineWithWarmup(double base, double minimum, long warmupSteps, long totalSteps) {
        return new Schedules.Cosine(base, minimum, warmupSteps, totalSteps);
    }
}
