package org.sparselinear.nn;

import org.sparselinear.api.Activation;

/**
 * The hyperbolic tangent ({@link Activation#TANH}), element-wise, on the input's backend; its
 * gradient is {@code dy * (1 - y^2)}. Keeps the input's logical shape. Like PyTorch's
 * {@code nn.Tanh}.
 */
public final class Tanh extends ActivationLayer {

    /** The kind name of this layer in files. */
    public static final String KIND = "Tanh";

    /** The layer; it has no parameters. */
    public Tanh() {
        super(KIND, Activation.TANH);
    }
}
