package org.sparselinear.nn;

import java.util.Objects;
import org.sparselinear.api.Tensor;
import org.sparselinear.io.Saveable;
import org.sparselinear.io.StateWriter;

/**
 * Flattens every dimension after the batch: {@code (N, d1, d2, ...)} becomes
 * {@code (N, d1 * d2 * ...)}, like PyTorch's {@code nn.Flatten()}. Free: the data is not moved.
 */
public final class Flatten extends AbstractLayer implements Saveable {

    /** The kind name of this layer in files. */
    public static final String KIND = "Flatten";

    @Override
    public Tensor forward(Tensor input) {
        Objects.requireNonNull(input, "Flatten input");
        return input.reshape(input.rows(), input.columns());
    }

    @Override
    public String kind() {
        return KIND;
    }

    /** Nothing: the layer has no configuration or state. */
    @Override
    public void describe(StateWriter out) {
    }

    /** Reads {@link Flatten}s from files; registered with {@link java.util.ServiceLoader}. */
    public static final class Provider extends StatelessLayerProvider {

        /** The provider of kind {@value #KIND}. */
        public Provider() {
            super(KIND, Flatten::new);
        }
    }

    @Override
    public String toString() {
        return "Flatten(start_dim=1, end_dim=-1)";
    }
}
