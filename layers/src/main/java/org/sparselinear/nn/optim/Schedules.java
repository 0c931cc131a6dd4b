package org.sparselinear.nn.optim;

import java.util.Locale;
import org.sparselinear.spi.Checks;

/** The built-in {@link LearningRateSchedule}s, checked when built. */
final class Schedules {

    private Schedules() {}

    /** Requires a step count {@code >= 0}, as every schedule's argument. */
    static long requireStep(long step) {
        if (step < 0) {
            throw new IllegalArgumentException("a schedule's step is the number of steps taken, >= 0; got " + step);
        }
        return step;
    }

    /** PyTorch's {@code StepLR}. */
    record StepDecay(double base, long stepSize, double gamma) implements LearningRateSchedule {

        StepDecay {
            Checks.positiveFinite(base, "step decay base learning rate");
            if (stepSize <= 0) {
                throw new IllegalArgumentException("step decay step size must be > 0 steps, got " + stepSize);
            }
            if (!(gamma > 0 && gamma <= 1)) {
                throw new IllegalArgumentException("step decay gamma must be in (0, 1] (the factor applied every "
                        + stepSize + " steps), got " + gamma);
            }
        }

        @Override
        public double rate(long step) {
            return base * Math.pow(gamma, requireStep(step) / stepSize);
        }

        @Override
        public String toString() {
            return String.format(Locale.ROOT, "stepDecay(base=%s, stepSize=%d, gamma=%s)", base, stepSize, gamma);
        }
    }

    /** Linear warm-up over {@code warmupSteps}, then cosine annealing to {@code minimum} at {@code totalSteps}. */
    record Cosine(double base, double minimum, long warmupSteps, long totalSteps) implements LearningRateSchedule {

        Cosine {
            Checks.positiveFinite(base, "schedule base learning rate");
            if (!(minimum > 0 && minimum <= base)) {
                throw new IllegalArgumentException("cosine schedule minimum learning rate must be in (0, base = " + base
                        + "], got " + minimum + " (a rate of 0 would make the last steps do nothing; pass a small "
                        + "fraction of the base instead)");
            }
            if (totalSteps <= 0) {
                throw new IllegalArgumentException("schedule total steps must be > 0, got " + totalSteps);
            }
            if (warmupSteps < 0 || warmupSteps > totalSteps || (warmupSteps == totalSteps && minimum != base)) {
                throw new IllegalArgumentException("schedule warm-up steps must be in [0, " + totalSteps
                        + ") (the total steps), got " + warmupSteps);
            }
        }

        @Override
        public double rate(long step) {
            requireStep(step);
            if (step < warmupSteps) {
                return base * (step + 1) / warmupSteps;
            }
            if (step >= totalSteps) {
                return minimum;
            }
            double progress = (double) (step - warmupSteps) / (totalSteps - warmupSteps);
            return minimum + (base - minimum) * (1 + Math.cos(Math.PI * progress)) / 2;
        }

        @Override
        public String toString() {
            return warmupSteps == totalSteps && minimum == base
                    ? String.format(Locale.ROOT, "linearWarmup(base=%s, warmupSteps=%d)", base, warmupSteps)
                    : String.format(
                            Locale.ROOT,
                            "cosineWithWarmup(base=%s, minimum=%s, warmupSteps=%d, totalSteps=%d)",
                            base,
                            minimum,
                            warmupSteps,
                            totalSteps);
        }
    }
}
