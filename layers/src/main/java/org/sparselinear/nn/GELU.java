package org.sparselinear.nn;

import org.sparselinear.api.Activation;

/**
 * The Gaussian error linear unit in its tanh approximation ({@link Activation#GELU}; Hendrycks and
 * Gimpel 2016, "Gaussian Error Linear Units (GELUs)", arXiv:1606.08415):
 * {@code y = 0.5 x (1 + tanh(sqrt(2 / pi) (x + 0.044715 x^3)))}, element-wise, on the input's
 * backend. Keeps the input's logical shape. Like PyTorch's {@code nn.GELU(approximate='tanh')};
 * PyTorch's default, the exact form with {@code erf}, differs from it by less than 5e-4.
 */
public final class GELU extends ActivationLayer {

    /** The kind name of this layer in files. */
    public static final String KIND = "GELU";

    /** The layer; it has no parameters. */
    public GELU() {
        super(KIND, Activation.GELU);
    }
}
