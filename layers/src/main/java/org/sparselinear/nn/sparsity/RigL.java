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
 * var rigl = RigL.forPlannedSteps(epochs * batchesPerEpoch);
 * new SparseLinear(784, 2000, SparseLinear.options().sparsity(0.9).rewiring(rigl));
 * // after each optimizer step: TrainingHooks.afterStep(model);
 * }</pre>
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

    private RigL(int deltaT, long tEnd, double alpha) {
        this.deltaT = Checks.positive(deltaT, "RigL deltaT");
        if (tEnd < 1) {
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

    /** The same with updates every {@code deltaT} steps. */
    public RigL withDeltaT(int deltaT) {
        return new RigL(deltaT, tEnd, alpha);
    }

    /** The same with updates stopping at step {@code tEnd} (exclusive). */
    public RigL withEnd(long tEnd) {
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

    /** The step from which on no update happens. */
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
     */
    public int connectionsToChange(long step, int nnz) {
        if (step <= 0 || step % deltaT != 0 || step >= tEnd) {
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
        float[] values = layer.backend().download(layer.weightValues().value());
        int[] dropped = RewirePlan.smallestMagnitudes(values, grown[0].length);
        RewirePlan plan = RewirePlan.of(layer.connectivity(), dropped, grown);
        layer.rewire(plan.connectivity(), plan.sourcePositions());
    }

    @Override
    public String name() {
        return String.format(Locale.ROOT, "RigL(deltaT=%d, tEnd=%d, alpha=%s)", deltaT, tEnd, alpha);
    }

    @Override
    public String toString() {
        return name();
    }

    @Override
    public String kind() {
        return KIND;
    }

    /** {@code delta_t}, {@code t_end} and {@code alpha}. */
    @Override
    public void describe(StateWriter out) {
        out.config("delta_t", deltaT()).config("t_end", tEnd()).config("alpha", alpha());
    }

    /** Reads a saved RigL rule (kind {@value #KIND}); registered by {@link BuiltInRewirings}. */
    static Rewiring read(Config settings) throws ModelFileException {
        int deltaT = settings.positiveInt("delta_t");
        long tEnd = settings.nonNegativeLong("t_end");
        if (tEnd < 1) {
            throw settings.fail("t_end", "must be at least 1, got " + tEnd);
        }
        double alpha = settings.finite("alpha");
        try {
            return forPlannedSteps(1).withEnd(tEnd).withDeltaT(deltaT).withAlpha(alpha);
        } catch (IllegalArgumentException e) {
            throw settings.fail("alpha", e.getMessage());
        }
    }
}
