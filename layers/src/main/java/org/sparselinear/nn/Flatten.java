package org.sparselinear.nn;

import java.util.Objects;
import org.sparselinear.api.Tensor;

/**
 * Flattens every dimension after the batch: {@code (N, d1, d2, ...)} becomes
 * {@code (N, d1 * d2 * ...)}, like PyTorch's {@code nn.Flatten()}. Free: the data is not moved.
 */
public final class Flatten extends StatelessLayer {

    /** The kind name of this layer in files. */
    public static final String KIND = "Flatten";

    /** The layer; it has no parameters. */
    public Flatten() {
        super(KIND);
    }

    @Override
    public Tensor forward(Tensor input) {
        requireOpen();
        Objects.requireNonNull(input, "Flatten input");
        return input.reshape(input.rows(), input.columns());
    }

    @Override
    public String toString() {
        return "Flatten(start_dim=1, end_dim=-1)";
    }
}
