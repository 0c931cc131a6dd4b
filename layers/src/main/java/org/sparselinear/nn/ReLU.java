package org.sparselinear.nn;

import java.util.Objects;
import org.sparselinear.api.Backend;
import org.sparselinear.api.DenseMatrix;
import org.sparselinear.api.Tensor;
import org.sparselinear.io.Saveable;
import org.sparselinear.io.StateWriter;

/** The rectifier {@code y = max(x, 0)}, element-wise, on the input's backend; keeps the input's logical shape. */
public final class ReLU extends AbstractLayer implements Saveable {

    /** The kind name of this layer in files. */
    public static final String KIND = "ReLU";

    @Override
    public Tensor forward(Tensor input) {
        Objects.requireNonNull(input, "ReLU input");
        Backend backend = input.backend();
        DenseMatrix y = backend.zeros(input.rows(), input.columns());
        backend.relu(input.value(), y);
        return Tensor.derived(y, input.shape(), dy -> backend.reluBackward(y, dy, input.gradOrZeros(), true), input);
    }

    @Override
    public String kind() {
        return KIND;
    }

    /** Nothing: the layer has no configuration or state. */
    @Override
    public void describe(StateWriter out) {
    }

    /** Reads {@link ReLU}s from files; registered with {@link java.util.ServiceLoader}. */
    public static final class Provider extends StatelessLayerProvider {

        /** The provider of kind {@value #KIND}. */
        public Provider() {
            super(KIND, ReLU::new);
        }
    }

    @Override
    public String toString() {
        return "ReLU()";
    }
}
