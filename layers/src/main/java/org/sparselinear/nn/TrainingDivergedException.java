package org.sparselinear.nn;

import java.util.Locale;

/**
 * Training produced a loss that is NaN or infinite: the run cannot go on. The message names the
 * step, the loss and the first layer whose output was not finite for the step's batch (or says
 * that every layer's output was finite and the loss itself overflowed), and what to try.
 * Thrown by {@link Divergence#check}.
 */
public class TrainingDivergedException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    private final long step;
    private final String layer;
    private final float loss;

    /**
     * @param step the 1-based training step whose loss was not finite
     * @param layer the first layer whose output was not finite, e.g. {@code "layer 1 (SparseLinear(...))"},
     *        or null when every output was finite
     * @param loss the loss value
     */
    public TrainingDivergedException(long step, String layer, float loss) {
        super(String.format(
                Locale.ROOT,
                "training diverged at step %d: the loss is %s; %s. Lower the learning rate, "
                        + "check the input data for NaN or huge values, or resume from the last good checkpoint",
                step,
                loss,
                layer != null
                        ? "the first layer whose output is not finite is " + layer
                        : "every layer's output is finite, the loss itself overflowed"));
        this.step = step;
        this.layer = layer;
        this.loss = loss;
    }

    /** The 1-based step whose loss was not finite. */
    public long step() {
        return step;
    }

    /** The first layer whose output was not finite, or null when every layer's output was finite. */
    public String layer() {
        return layer;
    }

    /** The loss: NaN or an infinity. */
    public float loss() {
        return loss;
    }
}
