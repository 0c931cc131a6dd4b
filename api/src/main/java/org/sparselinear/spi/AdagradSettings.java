package org.sparselinear.spi;

/**
 * Hyperparameters of one fused Adagrad update (Duchi, Hazan and Singer 2011, "Adaptive Subgradient
 * Methods for Online Learning and Stochastic Optimization"), with PyTorch's {@code optim.Adagrad}
 * semantics: {@code clr = lr / (1 + (t - 1) * lrDecay); g += weightDecay * p; sum += g^2;
 * p -= clr * g / (sqrt(sum) + eps)}, with {@code t} the 1-based step. The state's start (PyTorch's
 * {@code initial_accumulator_value}) is the optimizer's: it fills {@code sum} before the first step.
 *
 * <p>Exact sparse behaviour: an entry whose gradient (after weight decay) is exactly zero keeps
 * its value and its sum bit for bit, as there is no decay of the state; so with {@code weightDecay}
 * 0 every entry with a zero gradient is left untouched, and kernels skip it.
 */
public record AdagradSettings(float learningRate, float learningRateDecay, float weightDecay, float epsilon) {

    /** PyTorch's default {@code eps}. */
    public static final float DEFAULT_EPSILON = 1e-10f;

    public AdagradSettings {
        Checks.positiveFinite(learningRate, "learning rate");
        Checks.nonNegativeFinite(learningRateDecay, "learning rate decay");
        Checks.nonNegativeFinite(weightDecay, "weight decay");
        Checks.positiveFinite(epsilon, "epsilon");
    }

    /** The learning rate of the 1-based {@code step}: {@code lr / (1 + (step - 1) * lrDecay)}. */
    public float stepLearningRate(long step) {
        return (float) (learningRate / (1 + (step - 1) * (double) learningRateDecay));
    }
}
