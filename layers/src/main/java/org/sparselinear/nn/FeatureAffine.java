package org.sparselinear.nn;

import java.io.IOException;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import org.sparselinear.api.Backend;
import org.sparselinear.api.Backends;
import org.sparselinear.api.Parameter;
import org.sparselinear.api.Tensor;
import org.sparselinear.io.LayerReader;
import org.sparselinear.io.Saveable;
import org.sparselinear.io.SavedLayer;
import org.sparselinear.io.StateWriter;
import org.sparselinear.spi.Checks;

/**
 * A learnable scale and shift per feature, {@code y[:, f] = x[:, f] * scale[f] + shift[f]},
 * starting as the identity (scale 1, shift 0): the reference notebook's
 * {@code input_scaling * x + input_shifting}. Built on a diagonal {@link SparseLinear}, so it runs
 * on the sparse kernels of any backend; its parameters are {@code "weight"} (the scales) and
 * {@code "bias"} (the shifts).
 */
public final class FeatureAffine extends AbstractLayer implements Saveable {

    /** The kind name of feature-wise affine maps in files. */
    public static final String KIND = "FeatureAffine";

    private final SparseLinear diagonal;

    /** An identity-initialised affine map of {@code features} features, on {@link Backends#get()}. */
    public FeatureAffine(int features) {
        this(features, Backends.get());
    }

    /** An identity-initialised affine map of {@code features} features, with its parameters on {@code backend}. */
    public FeatureAffine(int features, Backend backend) {
        Checks.positive(features, "FeatureAffine features");
        Objects.requireNonNull(backend, "FeatureAffine backend");
        int[] index = new int[features];
        for (int f = 0; f < features; f++) {
            index[f] = f;
        }
        this.diagonal = new SparseLinear(
                features,
                features,
                SparseLinear.options().connectivity(new int[][] {index, index}).backend(backend));
        List<Parameter> parameters = diagonal.parameters();
        parameters.get(0).backend().fill(parameters.get(0).value(), 1f);
        parameters.get(1).backend().fill(parameters.get(1).value(), 0f);
    }

    @Override
    public Tensor forward(Tensor input) {
        requireOpen();
        return diagonal.forward(input);
    }

    @Override
    public List<Parameter> parameters() {
        return diagonal.parameters();
    }

    /** Frees the diagonal sparse layer's pattern (its parameters, which are this layer's, are freed by {@link #close()}). */
    @Override
    protected void releaseResources() {
        diagonal.close();
    }

    /** Number of features scaled and shifted. */
    public int features() {
        return diagonal.inFeatures();
    }

    @Override
    public String kind() {
        return KIND;
    }

    /** Features; tensors {@code weight} (the scales) and {@code bias} (the shifts), {@code [features]} each. */
    @Override
    public void describe(StateWriter out) {
        FeatureVectors.describe(out, features(), parameters());
    }

    @Override
    public String toString() {
        return description(diagonal.inFeatures());
    }

    private static String description(int features) {
        return String.format(Locale.ROOT, "FeatureAffine(features=%d)", features);
    }

    /** Reads a saved {@link FeatureAffine} (kind {@value #KIND}); registered by {@link BuiltInLayers}. */
    static SavedLayer read(LayerReader reader) throws IOException {
        return FeatureVectors.read(
                reader, FeatureAffine::new, layer -> ((FeatureAffine) layer).features(), FeatureAffine::description);
    }
}
