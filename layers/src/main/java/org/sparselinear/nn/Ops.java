package org.sparselinear.nn;

import java.util.Arrays;
import java.util.Objects;
import org.sparselinear.api.Backend;
import org.sparselinear.api.DenseMatrix;
import org.sparselinear.api.Tensor;

/**
 * Differentiable operations on {@link Tensor}s that are not layers, for models wired by hand
 * (a residual connection, see {@link Residual}). Each returns a {@link Tensor#derived} tensor, so
 * gradients flow back to its inputs when gradient mode is on.
 */
public final class Ops {

    private Ops() {}

    /**
     * The element-wise sum {@code a + b}, like PyTorch's {@code torch.add(a, b)} without
     * broadcasting: the gradient of each input is the output's gradient (twice when {@code a} and
     * {@code b} are the same tensor). The result has the inputs' logical shape.
     *
     * @throws IllegalArgumentException when the logical shapes differ or the tensors live on
     *         different backends (the message gives both)
     */
    public static Tensor add(Tensor a, Tensor b) {
        return add(a, b, "Ops.add");
    }

    /** As {@link #add(Tensor, Tensor)}, with {@code operation} naming the caller in error messages. */
    static Tensor add(Tensor a, Tensor b, String operation) {
        Objects.requireNonNull(a, () -> operation + ": the first tensor is null");
        Objects.requireNonNull(b, () -> operation + ": the second tensor is null");
        int[] shape = a.shape();
        if (!Arrays.equals(shape, b.shape())) {
            throw new IllegalArgumentException(operation + ": element-wise addition needs equal shapes, got "
                    + Arrays.toString(shape) + " and " + Arrays.toString(b.shape()) + " (there is no broadcasting)");
        }
        Backend backend = a.backend();
        if (b.backend() != backend) {
            throw new IllegalArgumentException(operation + ": the tensors live on different backends, " + backend.name()
                    + " and " + b.backend().name() + "; move one with model.to(backend)");
        }
        DenseMatrix y = backend.zeros(a.rows(), a.columns());
        backend.copy(a.value(), y);
        backend.axpy(1f, b.value(), y);
        return Tensor.derived(
                y,
                shape,
                dy -> {
                    if (a.requiresGrad()) {
                        backend.axpy(1f, dy, a.gradOrZeros());
                    }
                    if (b.requiresGrad()) {
                        backend.axpy(1f, dy, b.gradOrZeros());
                    }
                },
                a,
                b);
    }
}
