package org.sparselinear.api;

/**
 * The backward step of one operation in the autograd graph: given the gradient of the loss
 * with respect to the operation's output, accumulate the gradients of its inputs (through
 * {@link Tensor#gradOrZeros()} of each input that {@link Tensor#requiresGrad() requires} one).
 */
@FunctionalInterface
public interface BackwardFunction {

    /** Accumulates input gradients from {@code outputGradient}, which has the output's shape. */
    void backward(DenseMatrix outputGradient);
}
