package org.sparselinear.nn;

import org.sparselinear.api.Activation;

/**
 * The rectifier {@code y = max(x, 0)} ({@link Activation#RELU}), element-wise, on the input's
 * backend; keeps the input's logical shape. Like PyTorch's {@code nn.ReLU}.
 */
public final class ReLU extends ActivationLayer {

    /** The kind name of this layer in files. */
    public static final String KIND = "ReLU";

    /** The layer; it has no parameters. */
    public ReLU() {
        super(KIND, Activation.RELU);
    }
}
