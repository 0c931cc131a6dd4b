package org.sparselinear.nn;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Objects;
import org.sparselinear.api.Backend;
import org.sparselinear.api.Layer;
import org.sparselinear.api.Parameter;
import org.sparselinear.api.Tensor;
import org.sparselinear.io.LayerReader;
import org.sparselinear.io.ModelFile;
import org.sparselinear.io.ModelFileException;
import org.sparselinear.io.Saveable;
import org.sparselinear.io.SavedLayer;
import org.sparselinear.io.StateWriter;

/**
 * A chain of layers, each fed the previous one's output, like PyTorch's {@code nn.Sequential}.
 * Its parameters are those of its layers, in order; training mode reaches every layer.
 */
public final class Sequential extends AbstractLayer implements Saveable {

    /** The kind name of sequential containers in files. */
    public static final String KIND = "Sequential";

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
        this.layers = new ArrayList<>(List.of(layers));
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

    /** The layers, in order (unmodifiable; {@link #replace} changes what it shows). */
    public List<Layer> layers() {
        return Collections.unmodifiableList(layers);
    }

    /**
     * Puts {@code layer} at position {@code index} in place of the layer there, and returns that
     * layer, which is left open for the caller to close (a pruned layer replacing its dense
     * original, see {@link GradualMagnitudePruning}). The new layer takes the model's training
     * mode. The model's parameters change with it: an
     * optimizer built over the old ones must be rebuilt over {@link #parameters()}.
     *
     * @throws IndexOutOfBoundsException when {@code index} is not a position of this model
     * @throws NullPointerException when {@code layer} is null
     */
    public Layer replace(int index, Layer layer) {
        requireOpen();
        Objects.checkIndex(index, layers.size());
        Objects.requireNonNull(layer, () -> "Sequential.replace: the layer for position " + index + " is null");
        layer.setTraining(isTraining());
        return layers.set(index, layer);
    }

    @Override
    protected List<Layer> children() {
        return layers;
    }

    /**
     * Turns this model into an inference-only one, in place, and returns it: every
     * {@link SparseLinear} (here and in nested {@code Sequential}s) is replaced by its
     * {@link SparseLinear#compressForInference() bfloat16 form} and closed, and the model is put in
     * evaluation mode. The sparse weights then take 2 bytes per connection and the forward pass
     * reads half as many value bytes; results change by the rounding of the weights to bfloat16.
     * Other layers stay float32: a dense {@link Linear} runs a dense product whose cost is in
     * arithmetic, not in reading its weights, and keeps its float32 precision. To keep the float32
     * model as well, compress a copy: {@code model.to(backend).compressForInference()}. Saving the
     * result writes a float32 model file; {@link #to} gives a float32 model.
     *
     * @throws UnsupportedOperationException when a sparse layer sits in a container other than
     *         {@code Sequential} (a {@code Residual} or {@code Concat}), which cannot swap it;
     *         nothing has changed then
     * @throws IllegalStateException when this model was closed
     */
    public Sequential compressForInference() {
        requireOpen();
        requireReplaceable(this);
        compressSparseLayers();
        eval();
        return this;
    }

    private void compressSparseLayers() {
        for (int i = 0; i < layers.size(); i++) {
            Layer layer = layers.get(i);
            if (layer instanceof SparseLinear sparse) {
                replace(i, sparse.compressForInference()).close();
            } else if (layer instanceof Sequential nested) {
                nested.compressSparseLayers();
            }
        }
    }

    /** Fails when a sparse layer sits below {@code layer} in a container that cannot swap it. */
    private static void requireReplaceable(Layer layer) {
        if (!(layer instanceof AbstractLayer container)) {
            return;
        }
        for (Layer child : container.children()) {
            if (child instanceof SparseLinear && !(layer instanceof Sequential)) {
                throw new UnsupportedOperationException("compressForInference: " + child + " sits in a "
                        + layer.getClass().getSimpleName() + ", which cannot swap its layers; build that "
                        + "container with SparseLinear.compressForInference() of its sparse layers instead");
            }
            requireReplaceable(child);
        }
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
     * @throws ModelFileException when the file is corrupt or its model is not a Sequential (the
     *         model it rebuilt is then closed)
     */
    public static Sequential load(Path file) throws IOException {
        if (Files.isDirectory(file)) {
            throw new ModelFileException(file.toString(), "file", "is a folder, expected a model file");
        }
        Layer loaded = ModelFile.load(file);
        if (!(loaded instanceof Sequential sequential)) {
            ModelFileException notSequential = new ModelFileException(
                    file.toString(),
                    "model",
                    "the saved model is a " + loaded.getClass().getSimpleName()
                            + ", not a Sequential; load it with ModelFile.load");
            try {
                loaded.close();
            } catch (RuntimeException closing) {
                notSequential.addSuppressed(closing);
            }
            throw notSequential;
        }
        return sequential;
    }

    /**
     * Copies a PyTorch {@code state_dict} saved with {@code safetensors} into this model; see
     * {@link ModelFile#loadStateDict(Layer, Path)}.
     *
     * @throws ModelFileException naming the first tensor or layer that does not fit; nothing changes then
     */
    public void loadStateDict(Path file) throws IOException {
        ModelFile.loadStateDict(this, file);
    }

    @Override
    public String kind() {
        return KIND;
    }

    /** The layers, in order, under {@code "layers"}; their tensors are named by position ({@code "0.weight"}). */
    @Override
    public void describe(StateWriter out) {
        out.children("layers", layers);
    }

    /** Reads a saved {@link Sequential} (kind {@value #KIND}); registered by {@link BuiltInLayers}. */
    static SavedLayer read(LayerReader reader) throws IOException {
        List<SavedLayer> children = reader.children("layers");
        if (children.isEmpty()) {
            throw reader.config().fail("layers", "a Sequential needs at least one layer, got none");
        }
        return new SavedLayer() {
            @Override
            public Layer build(Backend backend) throws ModelFileException {
                return new Sequential(SavedChildren.buildAll(children, backend));
            }

            @Override
            public Runnable prepareRestore(Layer target) throws ModelFileException {
                return SavedChildren.prepareAll(children, ((Sequential) target).layers(), reader);
            }

            @Override
            public String description() {
                return "Sequential(" + children.size() + " layers)";
            }

            @Override
            public long parameterCount() {
                return children.stream().mapToLong(SavedLayer::parameterCount).sum();
            }
        };
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
