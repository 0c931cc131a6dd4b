package org.sparselinear.examples;

/** The two networks of the reference notebook's MNIST experiment. */
public enum ModelKind {

    /** Flatten, Linear, LayerNorm, ReLU, Linear; SGD learning rate 0.01. */
    dense(0.01),

    /** The same with SparseLinear for both linear layers (90 % sparse by default); learning rate 0.1. */
    sparse(0.1);

    private final double defaultLearningRate;

    ModelKind(double defaultLearningRate) {
        this.defaultLearningRate = defaultLearningRate;
    }

    /**
     * The learning rate the notebook uses for this model: sparse models want one an order of
     * magnitude higher.
     */
    public double defaultLearningRate() {
        return defaultLearningRate;
    }
}
