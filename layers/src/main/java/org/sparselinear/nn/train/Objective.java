package org.sparselinear.nn.train;

import org.sparselinear.api.Backend;
import org.sparselinear.api.Tensor;
import org.sparselinear.data.Batch;

/**
 * What a {@link Trainer} minimises and measures: the loss of a batch's outputs against its labels
 * or targets, and the task's measures ({@link Metrics}) of those outputs.
 */
interface Objective {

    /** The loss tensor of {@code output} against the batch's labels or targets, in the current scope. */
    Tensor loss(Tensor output, Batch batch, Backend backend);

    /**
     * Adds the measures of one batch's {@code output} to {@code into} (beyond the loss, which the
     * trainer adds); {@code evaluation} asks for those that need the outputs on the host (top-k,
     * MSE, MAE), which a training pass skips.
     */
    void measure(Tensor output, Batch batch, Backend backend, MetricsAccumulator into, boolean evaluation);

    /** Whether this is classification (labels) rather than regression (target vectors). */
    boolean classification();

    /** The name of the loss, for messages. */
    String lossName();
}
