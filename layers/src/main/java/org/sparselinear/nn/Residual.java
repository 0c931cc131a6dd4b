package org.sparselinear.nn;

import java.io.IOException;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;
import org.sparselinear.api.Backend;
import org.sparselinear.api.Layer;
import org.sparselinear.api.Parameter;
import org.sparselinear.api.Tensor;
import org.sparselinear.io.LayerReader;
import org.sparselinear.io.ModelFileException;
import org.sparselinear.io.Saveable;
import org.sparselinear.io.SavedLayer;
import org.sparselinear.io.StateWriter;

/**
 * A residual (skip) connection around a layer, {@code y = x + inner(x)} (He et al. 2016, "Deep
 * Residual Learning for Image Recognition", CVPR, the identity shortcut of section 3.2): the
 * gradient reaches {@code x} both directly and through {@code inner}. The inner layer (often a
 * {@link Sequential}) must give an output of its input's shape. Its parameters and training mode
 * are the inner layer's; closing this layer closes it.
 *
 * <p>In a file the inner layer is the one child of {@code "inner"}, so its tensors are named
 * {@code "0.<name>"} below this layer's prefix ({@code "1.0.weight"} for a residual block at
 * position 1 of a {@link Sequential}).
 */
public final class Residual extends AbstractLayer implements Saveable {

    /** The kind name of this layer in files. */
    public static final String KIND = "Residual";

    private final Layer inner;

    /**
     * The connection {@code x + inner(x)}.
     *
     * @throws NullPointerException when {@code inner} is null
     */
    public Residual(Layer inner) {
        this.inner = Objects.requireNonNull(inner, "Residual: the inner layer is null");
    }

    /**
     * {@code input + inner.forward(input)}.
     *
     * @throws IllegalArgumentException when the inner layer changes the shape (the message gives both shapes)
     */
    @Override
    public Tensor forward(Tensor input) {
        requireOpen();
        Objects.requireNonNull(input, "Residual input");
        Tensor branch = inner.forward(input);
        if (!Arrays.equals(input.shape(), branch.shape())) {
            throw new IllegalArgumentException("Residual: the inner layer maps shape " + Arrays.toString(input.shape())
                    + " to " + Arrays.toString(branch.shape())
                    + "; a residual connection adds its input to its output, so they need the same shape");
        }
        return Ops.add(input, branch, "Residual");
    }

    /** The layer inside the connection. */
    public Layer inner() {
        return inner;
    }

    @Override
    protected List<Layer> children() {
        return List.of(inner);
    }

    /** The inner layer's parameters. */
    @Override
    public List<Parameter> parameters() {
        return inner.parameters();
    }

    @Override
    public String kind() {
        return KIND;
    }

    /** The inner layer, the one child under {@code "inner"}. */
    @Override
    public void describe(StateWriter out) {
        out.children("inner", List.of(inner));
    }

    /** Reads a saved {@link Residual} (kind {@value #KIND}); registered by {@link BuiltInLayers}. */
    static SavedLayer read(LayerReader reader) throws IOException {
        List<SavedLayer> children = reader.children("inner");
        if (children.size() != 1) {
            throw reader.config().fail("inner", "a Residual holds exactly one layer, got " + children.size());
        }
        SavedLayer child = children.get(0);
        return new SavedLayer() {
            @Override
            public Layer build(Backend backend) throws ModelFileException {
                return new Residual(child.build(backend));
            }

            @Override
            public Runnable prepareRestore(Layer target) throws ModelFileException {
                return child.prepareRestore(((Residual) target).inner());
            }

            @Override
            public String description() {
                return "Residual(" + child.description() + ")";
            }

            @Override
            public long parameterCount() {
                return child.parameterCount();
            }
        };
    }

    /** The inner layer, indented, like PyTorch's containers. */
    @Override
    public String toString() {
        return "Residual(\n  (inner): " + inner.toString().replace("\n", "\n  ") + "\n)";
    }
}
