package org.sparselinear.spi;

/**
 * Hyperparameters of one fused SGD update, with PyTorch's semantics (no dampening):
 * {@code d = g + weightDecay * p; v = momentum * v + d; d = nesterov ? d + momentum * v : v;
 * p -= lr * d} (with {@code momentum == 0} the velocity is not used and may be null).
 */
public record SgdSettings(float learningRate, float momentum, float weightDecay, boolean nesterov) {

    public SgdSettings {
        Checks.positiveFinite(learningRate, "learning rate");
        Checks.inRange(momentum, 0, 1, "momentum");
        Checks.nonNegativeFinite(weightDecay, "weight decay");
        if (nesterov && momentum == 0) {
            throw new IllegalArgumentException(
                    "Nesterov momentum needs momentum > 0, got momentum 0: set a momentum or turn Nesterov off");
        }
    }
}
