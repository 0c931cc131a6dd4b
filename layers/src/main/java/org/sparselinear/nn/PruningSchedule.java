package org.sparselinear.nn;

import java.util.Locale;

/**
 * When to prune and to what sparsity: the cubic schedule of Zhu and Gupta (2017, "To prune, or not
 * to prune: exploring the efficacy of pruning for model compression", equation 1),
 * {@code s_t = s_f + (s_i - s_f) (1 - (t - t_0) / (t_end - t_0))^3}, which prunes fast while
 * there are many redundant weights and slowly near the final sparsity. Steps count optimizer
 * steps from 1, as {@link GradualMagnitudePruning} counts them; pruning happens at {@code t_0},
 * every {@code frequency} steps after it, and at {@code t_end} (so the final sparsity is always
 * reached, also when {@code t_end - t_0} is not a multiple of the frequency).
 */
public final class PruningSchedule {

    private final double initialSparsity;
    private final double finalSparsity;
    private final long beginStep;
    private final long endStep;
    private final long frequency;

    private PruningSchedule(
            double initialSparsity, double finalSparsity, long beginStep, long endStep, long frequency) {
        this.initialSparsity = initialSparsity;
        this.finalSparsity = finalSparsity;
        this.beginStep = beginStep;
        this.endStep = endStep;
        this.frequency = frequency;
    }

    /**
     * The cubic schedule from {@code initialSparsity} at step {@code beginStep} to
     * {@code finalSparsity} at step {@code endStep}, pruning every {@code frequency} steps.
     *
     * @param initialSparsity the sparsity of the first pruning step, in [0, finalSparsity]
     * @param finalSparsity the sparsity reached at {@code endStep}, in [initialSparsity, 1)
     * @param beginStep the first pruning step, at least 1
     * @param endStep the last pruning step, larger than {@code beginStep}
     * @param frequency steps between pruning steps, at least 1
     * @throws IllegalArgumentException for a value outside those ranges, naming it and what is expected
     */
    public static PruningSchedule cubic(
            double initialSparsity, double finalSparsity, long beginStep, long endStep, long frequency) {
        if (!(finalSparsity >= 0 && finalSparsity < 1)) {
            throw new IllegalArgumentException("PruningSchedule: the final sparsity must be in [0, 1), got "
                    + finalSparsity + " (0.9 keeps 10 % of the weights)");
        }
        if (!(initialSparsity >= 0 && initialSparsity <= finalSparsity)) {
            throw new IllegalArgumentException("PruningSchedule: the initial sparsity must be in [0, final sparsity "
                    + finalSparsity + "], got " + initialSparsity + "; pruning only removes weights");
        }
        if (beginStep < 1) {
            throw new IllegalArgumentException(
                    "PruningSchedule: the begin step counts optimizer steps from 1, got " + beginStep);
        }
        if (endStep <= beginStep) {
            throw new IllegalArgumentException("PruningSchedule: the end step must come after the begin step "
                    + beginStep + ", got " + endStep + "; for one pruning step use SparseLinear.fromDense");
        }
        if (frequency < 1) {
            throw new IllegalArgumentException(
                    "PruningSchedule: the frequency is a number of steps, at least 1, got " + frequency);
        }
        return new PruningSchedule(initialSparsity, finalSparsity, beginStep, endStep, frequency);
    }

    /**
     * The target sparsity at step {@code step}: 0 before the begin step, the cubic curve between
     * the begin and end steps, the final sparsity after.
     */
    public double sparsityAt(long step) {
        if (step < beginStep) {
            return 0;
        }
        if (step >= endStep) {
            return finalSparsity;
        }
        double remaining = 1 - (double) (step - beginStep) / (endStep - beginStep);
        return finalSparsity + (initialSparsity - finalSparsity) * remaining * remaining * remaining;
    }

    /** Whether the weights are pruned at step {@code step}: the begin step, every frequency steps after it, the end step. */
    public boolean prunesAt(long step) {
        return step == endStep || (step >= beginStep && step < endStep && (step - beginStep) % frequency == 0);
    }

    /** The sparsity at the end step. */
    public double finalSparsity() {
        return finalSparsity;
    }

    /** The last pruning step: after it, the model has the final sparsity. */
    public long endStep() {
        return endStep;
    }

    @Override
    public String toString() {
        return String.format(
                Locale.ROOT,
                "PruningSchedule(cubic, sparsity %s -> %s over steps %d..%d, every %d)",
                initialSparsity,
                finalSparsity,
                beginStep,
                endStep,
                frequency);
    }
}
