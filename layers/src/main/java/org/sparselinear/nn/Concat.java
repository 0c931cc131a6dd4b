package org.sparselinear.nn;

import java.io.IOException;
import java.util.ArrayList;
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
 * Branches run on the same input, their outputs side by side along the features
 * ({@link Ops#concat}): {@code y = [b_0(x), b_1(x), ...]}, as in an Inception block (Szegedy et al.
 * 2015, "Going deeper with convolutions", CVPR) or a wide-and-deep model. Every branch must give
 * a {@code (batch, features)} output; the widths may differ. Its parameters are the branches', in
 * order; training mode reaches every branch; closing this layer closes them.
 *
 * <p>In a file the branches are the children of {@code "branches"}, so their tensors are named by
 * position below this layer's ({@code "1.0.weights"} for the first branch of a {@code Concat} at
 * position 1 of a {@link Sequential}).
 */
public final class Concat extends AbstractLayer implements Saveable {

    /** The kind name of this layer in files. */
    public static final String KIND = "Concat";

    private final List<Layer> branches;

    /**
     * The branches, at least one.
     *
     * @throws IllegalArgumentException when no branch is given
     * @throws NullPointerException when a branch is null (the message names its position)
     */
    public Concat(Layer... branches) {
        Objects.requireNonNull(branches, "Concat: the branches are null");
        if (branches.length == 0) {
            throw new IllegalArgumentException("Concat needs at least one branch, got none");
        }
        for (int i = 0; i < branches.length; i++) {
            Objects.requireNonNull(branches[i], "Concat branch " + i + " is null");
        }
        this.branches = List.of(branches);
    }

    /**
     * The outputs of every branch on {@code input}, concatenated along the features.
     *
     * @throws IllegalArgumentException when a branch's output is not {@code (batch, features)} (the message names it)
     */
    @Override
    public Tensor forward(Tensor input) {
        requireOpen();
        Objects.requireNonNull(input, "Concat input");
        List<Tensor> outputs = new ArrayList<>();
        for (Layer branch : branches) {
            outputs.add(branch.forward(input));
        }
        return Ops.concat(outputs, "Concat");
    }

    /** The branches, in order (unmodifiable). */
    public List<Layer> branches() {
        return branches;
    }

    @Override
    protected List<Layer> children() {
        return branches;
    }

    /** The parameters of every branch, in branch order. */
    @Override
    public List<Parameter> parameters() {
        List<Parameter> all = new ArrayList<>();
        for (Layer branch : branches) {
            all.addAll(branch.parameters());
        }
        return List.copyOf(all);
    }

    @Override
    public String kind() {
        return KIND;
    }

    /** The branches, in order, under {@code "branches"}. */
    @Override
    public void describe(StateWriter out) {
        out.children("branches", branches);
    }

    /** Reads a saved {@link Concat} (kind {@value #KIND}); registered by {@link BuiltInLayers}. */
    static SavedLayer read(LayerReader reader) throws IOException {
        List<SavedLayer> children = reader.children("branches");
        if (children.isEmpty()) {
            throw reader.config().fail("branches", "a Concat needs at least one branch, got none");
        }
        return new SavedLayer() {
            @Override
            public Layer build(Backend backend) throws ModelFileException {
                return new Concat(SavedChildren.buildAll(children, backend));
            }

            @Override
            public Runnable prepareRestore(Layer target) throws ModelFileException {
                return SavedChildren.prepareAll(children, ((Concat) target).branches(), reader);
            }

            @Override
            public String description() {
                return "Concat(" + children.size() + " branches)";
            }

            @Override
            public long parameterCount() {
                return children.stream().mapToLong(SavedLayer::parameterCount).sum();
            }
        };
    }

    /** One line per branch, indented and numbered, like PyTorch's containers. */
    @Override
    public String toString() {
        StringBuilder text = new StringBuilder("Concat(\n");
        for (int i = 0; i < branches.size(); i++) {
            String child = branches.get(i).toString().replace("\n", "\n  ");
            text.append("  (").append(i).append("): ").append(child).append('\n');
        }
        return text.append(')').toString();
    }
}
