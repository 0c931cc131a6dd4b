package org.sparselinear.nn;

import java.util.Objects;
import org.sparselinear.api.Activation;
import org.sparselinear.api.Backend;
import org.sparselinear.api.DenseMatrix;
import org.sparselinear.api.Tensor;

/**
 * A layer that applies one {@link Activation} element-wise on the input's backend
 * ({@code backend.activate} forward, {@code backend.activateBackward} for the gradient) and keeps
 * the input's logical shape: the shared body of {@link ReLU}, {@link Sigmoid}, {@link Tanh} and
 * {@link GELU}. It has no parameters; a file records its kind only.
 */
abstract class ActivationLayer extends StatelessLayer {

    private final Activation function;

    ActivationLayer(String kind, Activation function) {
        super(kind);
        this.function = Objects.requireNonNull(function, "function");
    }

    /** The function this layer applies. */
    public final Activation function() {
        return function;
    }

    @Override
    public final Tensor forward(Tensor input) {
        requireOpen();
        Objects.requireNonNull(input, () -> kind() + " input");
        Backend backend = input.backend();
        DenseMatrix x = input.value();
        DenseMatrix y = backend.zeros(x.rows(), x.columns());
        backend.activate(function, x, y);
        return Tensor.derived(
                y, input.shape(), dy -> backend.activateBackward(function, x, y, dy, input.gradOrZeros(), true), input);
    }

    /** The kind and empty parentheses, like PyTorch ({@code "GELU()"}). */
    @Override
    public String toString() {
        return kind() + "()";
    }
}
