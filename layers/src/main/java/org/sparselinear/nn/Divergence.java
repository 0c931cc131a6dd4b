package org.sparselinear.nn;

import java.util.List;
import java.util.Objects;
import org.sparselinear.api.GradMode;
import org.sparselinear.api.Layer;
import org.sparselinear.api.MemoryScope;
import org.sparselinear.api.SparseTensor;
import org.sparselinear.api.Tensor;

/**
 * The per-step check for a diverging run: the loss is tested every step (one comparison on a value
 * the loop has on the host anyway); only when it is NaN or infinite is the step's batch run again,
 * layer by layer with gradients off, to find the first layer whose output is not finite.
 *
 * <pre>{@code
 * float loss = lossTensor.item();
 * Divergence.check(loss, step, model, input);   // throws TrainingDivergedException
 * }</pre>
 * The search runs the model's forward pass once more in its current mode; a layer with training
 * state (K-Winners' duty cycles) sees that batch twice, which no longer matters since the run stops.
 */
public final class Divergence {

    private Divergence() {}

    /**
     * Does nothing when {@code loss} is finite; otherwise finds the first layer of {@code model}
     * whose output for {@code input} is not finite and throws.
     *
     * @param step the 1-based step, for the message
     * @throws TrainingDivergedException when the loss is NaN or infinite
     */
    public static void check(float loss, long step, Layer model, Tensor input) {
        if (Float.isFinite(loss)) {
            return;
        }
        throw new TrainingDivergedException(step, firstNonFiniteLayer(model, input), loss);
    }

    /**
     * The first layer of {@code model} (descending into {@link Sequential}s) whose output for
     * {@code input} has a NaN or infinity, as {@code "layer 1 (SparseLinear(...))"}; {@code "the
     * input"} when the input already has one; null when every output is finite. Runs with gradients
     * off; temporaries are freed here.
     */
    public static String firstNonFiniteLayer(Layer model, Tensor input) {
        Objects.requireNonNull(model, "model");
        Objects.requireNonNull(input, "input");
        if (!finite(input)) {
            return "the input";
        }
        try (GradMode off = GradMode.disable();
                MemoryScope scope = input.backend().newScope()) {
            Located found = locate(model, input, "");
            return found.layer;
        }
    }

    private record Located(Tensor output, String layer) {}

    private static Located locate(Layer layer, Tensor input, String path) {
        if (layer instanceof Sequential sequential) {
            List<Layer> layers = sequential.layers();
            Tensor x = input;
            String prefix = path.isEmpty() ? "" : path + ".";
            for (int i = 0; i < layers.size(); i++) {
                Located inner = locate(layers.get(i), x, prefix + i);
                if (inner.layer != null) {
                    return inner;
                }
                x = inner.output;
            }
            return new Located(x, null);
        }
        Tensor output = layer.forward(input);
        if (!finite(output)) {
            String name = path.isEmpty() ? "the model" : "layer " + path;
            return new Located(
                    output, name + " (" + layer.toString().lines().findFirst().orElse("") + ")");
        }
        return new Located(output, null);
    }

    /** Whether every value is finite: the stored values of a sparse batch, every element otherwise. */
    private static boolean finite(Tensor tensor) {
        float[] values =
                tensor instanceof SparseTensor sparse ? sparse.backend().download(sparse.values()) : tensor.toArray();
        for (float value : values) {
            if (!Float.isFinite(value)) {
                return false;
            }
        }
        return true;
    }
}
