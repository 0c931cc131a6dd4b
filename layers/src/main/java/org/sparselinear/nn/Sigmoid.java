package org.sparselinear.nn;

import org.sparselinear.api.Activation;

/**
 * The logistic sigmoid {@code y = 1 / (1 + exp(-x))} ({@link Activation#SIGMOID}), element-wise, on
 * the input's backend; its gradient is {@code dy * y (1 - y)}. Keeps the input's logical shape.
 * Like PyTorch's {@code nn.Sigmoid}.
 */
public final class Sigmoid extends ActivationLayer {

    /** The kind name of this layer in files. */
    public static final String KIND = "Sigmoid";

    /** The layer; it has no parameters. */
    public Sigmoid() {
        super(KIND, Activation.SIGMOID);
    }
}
