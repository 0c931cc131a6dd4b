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

    /**
     * Inverted dropout (Srivastava et al. 2014, "Dropout: a simple way to prevent neural networks
     * from overfitting", JMLR): {@code y (+)= x * (m / (1 - p))} element-wise, where the mask
     * {@code m(r, c)} is 1 when {@link DropoutMask#kept DropoutMask.kept(key, r * columns + c,
     * DropoutMask.threshold(p))} and 0 otherwise, and {@code 1 / (1 - p)} is
     * {@link DropoutMask#scale}. The forward pass ({@code x} the input, {@code y} the output) and
     * the backward pass ({@code x} the output's gradient, {@code y} the input's, accumulating) call
     * it with the same key; the mask is never stored. {@code y} may be {@code x} when not
     * accumulating. The result is exact: {@code x} times {@code scale} or times 0 (so a NaN stays
     * NaN, as in PyTorch), added to {@code y} when accumulating.
     *
     * @param p the probability of dropping an element, in {@code [0, 1)}
     */
    void dropout(DenseMatrix x, DenseMatrix y, long key, float p, boolean accumulate);
}
