package org.sparselinear.nn;

import java.io.IOException;
import java.util.List;
import java.util.Locale;
import org.sparselinear.api.Backend;
import org.sparselinear.api.Backends;
import org.sparselinear.api.DenseMatrix;
import org.sparselinear.api.Parameter;
import org.sparselinear.api.Tensor;
import org.sparselinear.io.LayerReader;
import org.sparselinear.io.Saveable;
import org.sparselinear.io.SavedLayer;
import org.sparselinear.io.StateWriter;
import org.sparselinear.spi.Checks;

/**
 * Layer normalisation (Ba, Kiros and Hinton 2016, "Layer Normalization") over the features of
 * each sample: {@code y = (x - mean) / sqrt(var + eps) * gamma + beta}, with the biased variance
 * and {@code eps = 1e-5}, like PyTorch's {@code nn.LayerNorm(features)}.
 *
 * <p>Parameters: {@code "weight"} (gamma, {@code (1, features)}, ones) and {@code "bias"} (beta,
 * zeros). Runs on the backend given, by default {@link Backends#get()}.
 */
public final class LayerNorm extends AbstractLayer implements Saveable {

    /** The kind name of layer normalisations in files. */
    public static final String KIND = "LayerNorm";

    /** The constant added to the variance, PyTorch's default. */
    public static final float EPSILON = 1e-5f;

    private final int features;
    private final Backend backend;
    private final Parameter gamma;
    private final Parameter beta;

    /** Normalises inputs of shape {@code (N, features)}, on {@link Backends#get()}. */
    public LayerNorm(int features) {
        this(features, Backends.get());
    }

    /** Normalises inputs of shape {@code (N, features)}, with its parameters on {@code backend}. */
    public LayerNorm(int features, Backend backend) {
        this.features = Checks.positive(features, "LayerNorm features");
        this.backend = java.util.Objects.requireNonNull(backend, "LayerNorm backend");
        DenseMatrix ones = backend.zeros(1, features);
        backend.fill(ones, 1f);
        this.gamma = new Parameter("weight", ones);
        this.beta = new Parameter("bias", backend.zeros(1, features));
    }

    @Override
    public Tensor forward(Tensor input) {
        requireOpen();
        Inputs.requireFeatures(input, features, backend, toString());
        DenseMatrix x = input.value();
        int rows = x.rows();
        DenseMatrix y = backend.zeros(rows, features);
        DenseMatrix mean = backend.zeros(1, rows);
        DenseMatrix rstd = backend.zeros(1, rows);
        backend.layerNorm(x, gamma.value(), beta.value(), EPSILON, y, mean, rstd);
        return Tensor.derived(
                y,
                dy -> {
                    DenseMatrix dx = input.requiresGrad() ? input.gradOrZeros() : null;
                    backend.layerNormBackward(x, gamma.value(), mean, rstd, dy, dx, gamma.grad(), beta.grad());
                },
                input,
                gamma,
                beta);
    }

    /** Gamma ({@code "weight"}) and beta ({@code "bias"}). */
    @Override
    public List<Parameter> parameters() {
        return List.of(gamma, beta);
    }

    /** Number of features normalised per sample. */
    public int features() {
        return features;
    }

    @Override
    public String kind() {
        return KIND;
    }

    /** Features and eps; tensors {@code weight} (gamma) and {@code bias} (beta), {@code [features]} each. */
    @Override
    public void describe(StateWriter out) {
        FeatureVectors.describe(out, features, parameters());
        out.config("eps", (double) EPSILON);
    }

    @Override
    public String toString() {
        return description(features);
    }

    private static String description(int features) {
        return String.format(Locale.ROOT, "LayerNorm((%d,), eps=1e-05, elementwise_affine=true)", features);
    }

    /** Reads a saved {@link LayerNorm} (kind {@value #KIND}); registered by {@link BuiltInLayers}. */
    static SavedLayer read(LayerReader reader) throws IOException {
        return FeatureVectors.read(
                reader, LayerNorm::new, layer -> ((LayerNorm) layer).features, LayerNorm::description);
    }
}
