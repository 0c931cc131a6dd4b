package org.sparselinear.nn.sparsity;

import java.util.Locale;
import org.sparselinear.api.RewirableLayer;
import org.sparselinear.api.Rewiring;
import org.sparselinear.io.Config;
import org.sparselinear.io.ModelFileException;
import org.sparselinear.io.Saveable;
import org.sparselinear.io.StateWriter;
import org.sparselinear.spi.Checks;

/**
 * RigL, "Rigging the Lottery: Making All Tickets Winners" (Evci, Gale, Menick, Castro and Elsen,
 * ICML 2020): every {@code deltaT} steps while {@code t < tEnd}, drop the {@code k} connections of
 * smallest magnitude and grow the {@code k} unconnected positions with the largest magnitude of
 * the dense gradient {@code dL/dW}, with
 * {@code k = floor(alpha / 2 * (1 + cos(pi * t / tEnd)) * nnz)} (the cosine-decayed update fraction
 * of the paper). Grown connections start at weight 0 with zero optimizer state (momentum, Adam
 * moments); kept connections keep theirs; nnz never changes.
 *
 * <p>Defaults are the paper's MNIST setup as the issue states it: {@code deltaT = 100},
 * {@code alpha = 0.3}, {@code tEnd} = 75 % of the planned training steps. Use it through the layer:
 * <pre>{@code
 * new SparseLinear(784, 2000, SparseLinear.options().sparsity(0.9).rewiring(RigL.defaults()));
 * }</pre>
 * {@link #defaults()} takes the planned steps from the run: the {@code Trainer} knows them
 * ({@code epochs x batches}) and tells the layer before training
 * ({@code TrainingHooks.beforeTraining}); a loop that does not tell them fails at the first update
 * step with a message saying how to. {@link #forPlannedSteps} fixes them up front. The layer
 * advances the steps itself when the optimizer reports its step; nothing else is needed.
 *
 * <p>How a step is carried out: during the backward pass of an update step the layer computes the
 * grow candidates on the backend with {@link org.sparselinear.api.Backend#topKAbsDenseGradient},
 * from the step's saved input and output gradient, in row blocks (never the dense {@code out x in}
 * gradient), among the positions not connected before the update (so a connection dropped now is
 * never grown back at once). After the optimizer's update, the weight values are downloaded (one
 * {@code (1, nnz)} vector every {@code deltaT} steps) and the {@code k} smallest magnitudes are
 * chosen on the host (ties to the lower position); the layer then swaps its pattern and gathers
 * values, gradient and optimizer state into the new order on the backend. The optimizer updates
 * every step, including update steps.
 *
 * <p>Differences from the reference PyTorch package's {@code dynamic=True}: that package replaces
 * its weight {@code nn.Parameter} on every update, so the optimizer keeps updating the old tensor
 * (it loses track of the parameter); it computes {@code k} from {@code (1 - sparsity) * nnz}; and it
 * grows among the connected positions. Here the parameter and the optimizer state stay attached to
 * their connections. Immutable; one instance may serve several layers.
 */
public final class RigL implements Rewiring, Saveable {

    /** The kind name a saved layer records for this rule. */
    public static final String KIND = "RigL";

    /** Steps between updates, RigL's MNIST setting. */
    public static final int DEFAULT_DELTA_T = 100;

    /** Initial update fraction, RigL's MNIST setting. */
    public static final double DEFAULT_ALPHA = 0.3;

    /** Updates stop at this fraction of the planned steps. */
    public static final double DEFAULT_END_FRACTION = 0.75;

    private final int deltaT;
    private final long tEnd;
    private final double alpha;

    /** tEnd of a rule that takes 75 % of the run's planned steps when it learns them. */
    private static final long FROM_RUN = 0;

    private RigL(int deltaT, long tEnd, double alpha) {
        this.deltaT = Checks.positive(deltaT, "RigL deltaT");
        if (tEnd < FROM_RUN) {
            throw new IllegalArgumentException("RigL tEnd must be at least 1 step, got " + tEnd);
        }
        this.tEnd = tEnd;
        if (!(alpha > 0 && alpha <= 1)) {
            throw new IllegalArgumentException(
                    "RigL alpha (the initial fraction of connections updated) must be in " + "(0, 1], got " + alpha);
        }
        this.alpha = alpha;
    }

    /** The defaults for a run of {@code plannedSteps} optimizer steps: tEnd = 75 % of them (at least 1). */
    public static RigL forPlannedSteps(long plannedSteps) {
        if (plannedSteps < 1) {
            throw new IllegalArgumentException(
                    "RigL needs the planned number of training steps (>= 1), got " + plannedSteps);
        }
        return new RigL(DEFAULT_DELTA_T, Math.max(1, (long) (DEFAULT_END_FRACTION * plannedSteps)), DEFAULT_ALPHA);
    }

    /**
     * The defaults ({@code deltaT = 100}, {@code alpha = 0.3}) with {@code tEnd} = 75 % of the steps
     * the run plans, which the {@code Trainer} gives before training ({@link #forRun}).
     */
    public static RigL defaults() {
        return new RigL(DEFAULT_DELTA_T, FROM_RUN, DEFAULT_ALPHA);
    }

    /**
     * This rule for a run of {@code plannedSteps} steps: with {@code tEnd} = 75 % of them when it
     * was built without a horizon ({@link #defaults()}), else unchanged.
     */
    @Override
    public RigL forRun(long plannedSteps) {
        if (tEnd != FROM_RUN) {
            return this;
        }
        if (plannedSteps < 1) {
            throw new IllegalArgumentException(
                    "RigL needs the planned number of training steps (>= 1), got " + plannedSteps);
        }
        return new RigL(deltaT, Math.max(1, (long) (DEFAULT_END_FRACTION * plannedSteps)), alpha);
    }

    /** The same with updates every {@code deltaT} steps. */
    public RigL withDeltaT(int deltaT) {
        return new RigL(deltaT, tEnd, alpha);
    }

    /** The same with updates stopping at step {@code tEnd} (exclusive), at least 1. */
    public RigL withEnd(long tEnd) {
        if (tEnd < 1) {
            throw new IllegalArgumentException("RigL tEnd must be at least 1 step, got " + tEnd);
        }
        return new RigL(deltaT, tEnd, alpha);
    }

    /** The same with initial update fraction {@code alpha} in (0, 1]. */
    public RigL withAlpha(double alpha) {
        return new RigL(deltaT, tEnd, alpha);
    }

    /** Steps between updates. */
    public int deltaT() {
        return deltaT;
    }

    /** The step from which on no update happens; 0 while the rule waits for the run's planned steps. */
    public long tEnd() {
        return tEnd;
    }

    /** The initial update fraction. */
    public double alpha() {
        return alpha;
    }

    /**
     * The connections changed at step {@code t} of a layer with {@code nnz} connections:
     * {@code floor(alpha / 2 * (1 + cos(pi t / tEnd)) * nnz)} when {@code t} is a multiple of
     * {@code deltaT} below {@code tEnd}, else 0.
     *
     * @throws IllegalStateException at an update step when the rule has no horizon yet (built with
     *         {@link #defaults()} and used in a loop that did not tell the planned steps)
     */
    public int connectionsToChange(long step, int nnz) {
        if (step <= 0 || step % deltaT != 0) {
            return 0;
        }
        if (tEnd == FROM_RUN) {
            throw new IllegalStateException(name() + " reached its first update step (" + step + ") without knowing "
                    + "how many steps the run plans. Train with org.sparselinear.nn.train.Trainer (fit knows epochs "
                    + "x batches), call TrainingHooks.beforeTraining(model, plannedSteps) before your loop, or build "
                    + "the rule with RigL.forPlannedSteps(plannedSteps)");
        }
        if (step >= tEnd) {
            return 0;
        }
        double fraction = alpha / 2 * (1 + Math.cos(Math.PI * step / tEnd));
        return (int) (fraction * nnz);
    }

    @Override
    public int gradientCandidates(long step, int nnz) {
        return connectionsToChange(step, nnz);
    }

    /** Drops as many smallest-magnitude connections as the backward pass found candidates to grow. */
    @Override
    public void afterStep(long step, RewirableLayer layer) {
        int[][] grown = layer.gradientCandidates();
        if (grown == null || grown[0].length == 0) {
            return;
        }
        float[] values = layer.downloadWeightValues();
        int[] dropped = RewirePlan.smallestMagnitudes(values, grown[0].length);
        RewirePlan plan = RewirePlan.of(layer.connectivity(), dropped, grown);
        layer.rewire(plan.connectivity(), plan.sourcePositions());
    }

    @Override
    public String name() {
        String end = tEnd == FROM_RUN ? "75% of the run" : Long.toString(tEnd);
        return String.format(Locale.ROOT, "RigL(deltaT=%d, tEnd=%s, alpha=%s)", deltaT, end, alpha);
    }

    @Override
    public String toString() {
        return name();
    }

    @Override
    public String kind() {
        return KIND;
    }

    /** {@code delta_t}, {@code t_end} (0 while it waits for the run's planned steps) and {@code alpha}. */
    @Override
    public void describe(StateWriter out) {
        out.config("delta_t", deltaT()).config("t_end", tEnd()).config("alpha", alpha());
    }

    /** Reads a saved RigL rule (kind {@value #KIND}); registered by {@link BuiltInRewirings}. */
    static Rewiring read(Config settings) throws ModelFileException {
        int deltaT = settings.positiveInt("delta_t");
        long tEnd = settings.nonNegativeLong("t_end");
        double alpha = settings.finite("alpha");
        try {
            return new RigL(deltaT, tEnd, alpha);
        } catch (IllegalArgumentException e) {
            throw settings.fail("alpha", e.getMessage());
        }
    }
}
