package org.sparselinear.spi;

/**
 * Hyperparameters of one fused Adam update (Kingma and Ba 2015), with PyTorch's semantics:
 * {@code g += weightDecay * p; m = b1 m + (1 - b1) g; v = b2 v + (1 - b2) g^2;
 * p -= lr * (m / (1 - b1^t)) / (sqrt(v / (1 - b2^t)) + eps)}, with {@code t} the 1-based step.
 */
public record AdamSettings(float learningRate, float beta1, float beta2, float epsilon, float weightDecay) {

    public AdamSettings {
        Checks.positiveFinite(learningRate, "learning rate");
        Checks.inRange(beta1, 0, 1, "beta1");
        Checks.inRange(beta2, 0, 1, "beta2");
        Checks.positiveFinite(epsilon, "epsilon");
        Checks.nonNegativeFinite(weightDecay, "weight decay");
    }
}
