package org.sparselinear.spi;

import org.sparselinear.api.Activation;
import org.sparselinear.api.DenseMatrix;

/**
 * Element-wise maps: every output element depends on the elements at the same position of the
 * inputs only. Activations are one operation over the enumerated {@link Activation} functions,
 * so that a new activation is an enum entry and a kernel case, not a new method.
 *
 * <p>Contract: each element agrees with the {@link Activation}'s double-precision formula (or
 * the plain arithmetic) within float32 rounding of that formula's terms; zeros are handled as
 * the formula says ({@code relu(0) = 0}, derivative 0 at 0). Required: every backend implements
 * the whole family, with a kernel case for every {@link Activation}.
 */
public interface ElementwiseOps {

    /** {@code y = f(x)} element-wise; {@code y} may be {@code x} (in place). */
    void activate(Activation function, DenseMatrix x, DenseMatrix y);

    /**
     * The gradient through {@link #activate}: {@code dx (+)= dy * f'(x, y)} element-wise, where
     * {@code x} and {@code y = f(x)} are the forward pass's input and output (each function reads
     * the one its derivative needs; see {@link Activation#derivative}). All four matrices have
     * the same shape.
     */
    void activateBackward(
            Activation function, DenseMatrix x, DenseMatrix y, DenseMatrix dy, DenseMatrix dx, boolean accumulate);

    /** {@code y += alpha * x}. */
    void axpy(float alpha, DenseMatrix x, DenseMatrix y);

    /** {@code x *= alpha}. */
    void scale(DenseMatrix x, float alpha);
}
