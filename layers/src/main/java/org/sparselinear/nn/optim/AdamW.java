package org.sparselinear.nn.optim;

import java.io.IOException;
import java.util.List;
import org.sparselinear.api.Parameter;
import org.sparselinear.io.OptimizerReader;
import org.sparselinear.io.SavedOptimizer;

/**
 * AdamW (Loshchilov and Hutter 2019, "Decoupled Weight Decay Regularization") with PyTorch's
 * {@code optim.AdamW} semantics: the weight decay shrinks the parameter instead of being added
 * to the gradient, {@code p *= 1 - lr * weightDecay}, then the {@link Adam} update of the
 * gradient alone moves it (bias-corrected moments, the same fused {@code adamStep} kernel with no
 * L2 term). The decay so scales with the learning rate, and a schedule that lowers the rate lowers
 * it too, but not with the moments: weights with large gradients are not decayed less, as they are
 * with Adam's L2 penalty.
 *
 * <p>Everything else is {@link Adam}'s: the moments on the parameters' backend, one step counter,
 * moments following a rewired sparse layer's connections ({@link #remapState}), and checkpoints
 * (kind {@value #KIND}, the same {@code exp_avg} and {@code exp_avg_sq} states and settings) that
 * resume bit for bit. With weight decay 0 it is Adam, to the bit.
 */
public final class AdamW extends Adam {

    /** The kind name of AdamW in checkpoints. */
    public static final String KIND = "AdamW";

    /** PyTorch's default weight decay of {@code AdamW}. */
    public static final double DEFAULT_WEIGHT_DECAY = 0.01;

    /** AdamW with PyTorch's defaults: betas (0.9, 0.999), eps 1e-8, weight decay 0.01. */
    public AdamW(List<Parameter> parameters, double lr) {
        this(parameters, lr, DEFAULT_WEIGHT_DECAY);
    }

    /** AdamW with PyTorch's betas (0.9, 0.999) and eps 1e-8 and the given weight decay. */
    public AdamW(List<Parameter> parameters, double lr, double weightDecay) {
        this(parameters, lr, 0.9, 0.999, 1e-8, weightDecay);
    }

    /**
     * AdamW with every option.
     *
     * @param lr finite, > 0
     * @param beta1 decay of the first moment, in [0, 1)
     * @param beta2 decay of the second moment, in [0, 1)
     * @param eps added to the root of the second moment, finite, > 0
     * @param weightDecay decoupled decay per unit of learning rate, finite, >= 0
     */
    public AdamW(List<Parameter> parameters, double lr, double beta1, double beta2, double eps, double weightDecay) {
        super(KIND, true, parameters, lr, beta1, beta2, eps, weightDecay);
    }

    /** Reads a saved {@link AdamW} state (kind {@value #KIND}); registered by {@link BuiltInOptimizers}. */
    static SavedOptimizer read(OptimizerReader reader) throws IOException {
        return Adam.read(reader, KIND, AdamW::new);
    }
}
