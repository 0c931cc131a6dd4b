package org.sparselinear.nn;

import java.util.Objects;
import org.sparselinear.api.Activation;
import org.sparselinear.api.Backend;
import org.sparselinear.api.DenseMatrix;
import org.sparselinear.api.Tensor;

/** The rectifier {@code y = max(x, 0)}, element-wise, on the input's backend; keeps the input's logical shape. */
public final class ReLU extends StatelessLayer {

    /** The kind name of this layer in files. */
    public static final String KIND = "ReLU";

    /** The layer; it has no parameters. */
    public ReLU() {
        super(KIND);
    }

    @Override
    public Tensor forward(Tensor input) {
        requireOpen();
        Objects.requireNonNull(input, "ReLU input");
        Backend backend = input.backend();
        DenseMatrix y = backend.zeros(input.rows(), input.columns());
        backend.activate(Activation.RELU, input.value(), y);
        return Tensor.derived(
                y,
                input.shape(),
                dy -> backend.activateBackward(Activation.RELU, input.value(), y, dy, input.gradOrZeros(), true),
                input);
    }

    @Override
    public String toString() {
        return "ReLU()";
    }
}
