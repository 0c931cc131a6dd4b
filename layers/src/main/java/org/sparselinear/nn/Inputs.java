package org.sparselinear.nn;

import java.util.Arrays;
import java.util.Objects;
import org.sparselinear.api.Backend;
import org.sparselinear.api.SparseTensor;
import org.sparselinear.api.Tensor;

/** The input checks the layers share, so that the same mistake reads the same in every layer. */
final class Inputs {

    private Inputs() {}

    /**
     * Requires a {@code (N, features)} input on {@code backend}.
     *
     * @param layer the layer's description, which starts the message
     */
    static void requireFeatures(Tensor input, int features, Backend backend, String layer) {
        Objects.requireNonNull(input, () -> layer + ": input");
        int[] shape = input.shape();
        if (shape.length != 2 || shape[1] != features) {
            String hint = shape.length > 2 && input.columns() == features
                    ? "; flatten it first with a Flatten() layer"
                    : "; check the previous layer's output size";
            throw new IllegalArgumentException(
                    layer + ": expected an input of shape (N, " + features + "), got " + Arrays.toString(shape) + hint);
        }
        requireBackend(input, backend, layer);
    }

    /** Requires a sparse batch of {@code features} features on {@code backend}. */
    static void requireSparseFeatures(SparseTensor input, int features, Backend backend, String layer) {
        if (input.columns() != features) {
            throw new IllegalArgumentException(layer + ": expected a sparse input of " + features + " features, got "
                    + input.columns() + "; the layer's in_features must be the data's number of features");
        }
        requireBackend(input, backend, layer);
    }

    /** Requires {@code input} to live on {@code backend}, where the layer's parameters are. */
    static void requireBackend(Tensor input, Backend backend, String layer) {
        if (input.backend() != backend) {
            throw new IllegalArgumentException(layer + ": the input is on backend " + label(input.backend(), backend)
                    + " but the layer's parameters are on " + label(backend, input.backend())
                    + "; upload the input with the layer's backend");
        }
    }

    /** {@code 'name'}, with the instance's identity when {@code other} is another instance of the same name. */
    private static String label(Backend backend, Backend other) {
        String name = "'" + backend.name() + "'";
        return backend.name().equals(other.name())
                ? name + " (instance " + Integer.toHexString(System.identityHashCode(backend))
                        + (backend.isClosed() ? ", closed" : "") + ")"
                : name;
    }
}
