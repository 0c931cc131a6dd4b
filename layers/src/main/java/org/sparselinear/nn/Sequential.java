package org.sparselinear.nn;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import org.sparselinear.api.Backend;
import org.sparselinear.api.Layer;
import org.sparselinear.api.Parameter;
import org.sparselinear.api.Tensor;
import org.sparselinear.io.ModelFileException;

/**
 * A chain of layers, each fed the previous one's output, like PyTorch's {@code nn.Sequential}.
 * Its parameters are those of its layers, in order; training mode reaches every layer.
 */
public final class Sequential extends AbstractLayer {

    private final List<Layer> layers;

    /**
     * A chain of at least one layer.
     *
     * @throws IllegalArgumentException when no layer is given
     * @throws NullPointerException when a layer is null (the message names its position)
     */
    public Sequential(Layer... layers) {
        Objects.requireNonNull(layers, "layers");
        if (layers.length == 0) {
            throw new IllegalArgumentException("Sequential needs at least one layer, got none");
        }
        for (int i = 0; i < layers.length; i++) {
            Objects.requireNonNull(layers[i], "Sequential layer " + i + " is null");
        }
        this.layers = List.of(layers);
    }

    @Override
    public Tensor forward(Tensor input) {
        requireOpen();
        Tensor output = Objects.requireNonNull(input, "Sequential input");
        for (Layer layer : layers) {
            output = layer.forward(output);
        }
        return output;
    }

    /** The layers, in order (unmodifiable). */
    public List<Layer> layers() {
        return layers;
    }

    @Override
    protected List<Layer> children() {
        return layers;
    }

    /**
     * This model on {@code backend}, every layer with bit for bit the same parameters, connections,
     * state and training mode; this one is left as it is. See {@link AbstractLayer#to} for how and
     * its limits.
     */
    @Override
    public Sequential to(Backend backend) {
        return (Sequential) super.to(backend);
    }

    /** The parameters of every layer, in layer order. */
    @Override
    public List<Parameter> parameters() {
        List<Parameter> all = new ArrayList<>();
        for (Layer layer : layers) {
            all.addAll(layer.parameters());
        }
        return List.copyOf(all);
    }

    /**
     * Saves this model in the safetensors format, atomically; see {@link ModelFile#save}.
     *
     * @throws IOException when the file cannot be written (the previous file is then unchanged)
     */
    public void save(Path file) throws IOException {
        ModelFile.save(this, file);
    }

    /**
     * Rebuilds a model saved by {@link #save} (or a checkpoint's model) on the default backend;
     * see {@link ModelFile#load(Path)}.
     *
     * @throws ModelFileException when the file is corrupt or its model is not a Sequential
     */
    public static Sequential load(Path file) throws IOException {
        Layer loaded = ModelFile.load(file);
        if (!(loaded instanceof Sequential sequential)) {
            throw new ModelFileException(file.toString(), "model", "the saved model is a " + loaded.getClass()
                    .getSimpleName() + ", not a Sequential; load it with ModelFile.load");
        }
        return sequential;
    }

    /** One line per layer, indented and numbered, nested containers indented further, like PyTorch. */
    @Override
    public String toString() {
        StringBuilder text = new StringBuilder("Sequential(\n");
        for (int i = 0; i < layers.size(); i++) {
            String child = layers.get(i).toString().replace("\n", "\n  ");
            text.append("  (").append(i).append("): ").append(child).append('\n');
        }
        return text.append(')').toString();
    }
}
