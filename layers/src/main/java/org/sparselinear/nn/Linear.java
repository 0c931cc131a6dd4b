package org.sparselinear.nn;

import java.io.IOException;
import java.util.List;
import java.util.Locale;
import java.util.SplittableRandom;
import org.sparselinear.api.Backend;
import org.sparselinear.api.Backends;
import org.sparselinear.api.DenseMatrix;
import org.sparselinear.api.Layer;
import org.sparselinear.api.Parameter;
import org.sparselinear.api.SparseMatrix;
import org.sparselinear.api.SparseTensor;
import org.sparselinear.api.Tensor;
import org.sparselinear.io.Config;
import org.sparselinear.io.LayerReader;
import org.sparselinear.io.ModelFileException;
import org.sparselinear.io.SafeTensors;
import org.sparselinear.io.Saveable;
import org.sparselinear.io.SavedLayer;
import org.sparselinear.io.StateWriter;
import org.sparselinear.spi.Checks;

/**
 * A dense linear layer {@code y = x W^T + b}, like PyTorch's {@code nn.Linear}: the baseline the
 * sparse layer is compared with.
 *
 * <p>Parameters: {@code "weight"} {@code (out, in)} and {@code "bias"} {@code (1, out)}, both
 * drawn from {@code U(-1/sqrt(in), 1/sqrt(in))}. PyTorch draws the weight with
 * {@code kaiming_uniform_(a = sqrt(5))}, whose bound {@code sqrt(6 / ((1 + a^2) in))} is the same
 * {@code 1/sqrt(in)}, so the distributions agree; the random streams, and so the values, differ.
 * Runs on {@link Backends#get()}.
 */
public final class Linear extends AbstractLayer implements Saveable {

    /** The kind name of dense layers in files. */
    public static final String KIND = "Linear";

    private final int inFeatures;
    private final int outFeatures;
    private final Backend backend;
    private final Parameter weight;
    private final Parameter bias;

    /** A layer with a bias, seeded from {@link Init#nextSeed()}. */
    public Linear(int inFeatures, int outFeatures) {
        this(inFeatures, outFeatures, true);
    }

    /** A layer with or without a bias, seeded from {@link Init#nextSeed()}. */
    public Linear(int inFeatures, int outFeatures, boolean bias) {
        this(inFeatures, outFeatures, bias, Init.nextSeed());
    }

    /** A layer with or without a bias, with initial values from {@code seed}, on {@link Backends#get()}. */
    public Linear(int inFeatures, int outFeatures, boolean bias, long seed) {
        this(inFeatures, outFeatures, bias, seed, Backends.get());
    }

    /** A layer with or without a bias, with initial values from {@code seed}, on {@code backend}. */
    public Linear(int inFeatures, int outFeatures, boolean bias, long seed, Backend backend) {
        this.inFeatures = Checks.positive(inFeatures, "Linear in_features");
        this.outFeatures = Checks.positive(outFeatures, "Linear out_features");
        if ((long) inFeatures * outFeatures > Integer.MAX_VALUE - 8) {
            throw new IllegalArgumentException("Linear(" + inFeatures + ", " + outFeatures + ") needs "
                    + (long) inFeatures * outFeatures + " weights, more than one dense matrix holds ("
                    + (Integer.MAX_VALUE - 8) + "); use a SparseLinear");
        }
        this.backend = java.util.Objects.requireNonNull(backend, "Linear backend");
        LayerMemory.requireDenseFits(
                backend, inFeatures, outFeatures, bias, "Linear(" + inFeatures + ", " + outFeatures + ")");
        SplittableRandom random = new SplittableRandom(seed);
        double bound = Init.fanInBound(inFeatures);
        this.weight = new Parameter(
                "weight",
                backend.upload(Init.uniform(outFeatures * inFeatures, bound, random), outFeatures, inFeatures));
        this.bias = bias
                ? new Parameter("bias", backend.upload(Init.uniform(outFeatures, bound, random), 1, outFeatures))
                : null;
    }

    /**
     * {@code y = x W^T + b}. A {@link SparseTensor} input (a batch of sparse rows) is never
     * densified: the product, the weight gradient (which is non-zero only in the columns of the
     * features present) and, when the input requires one, the gradient of its values run over
     * its stored entries.
     */
    @Override
    public Tensor forward(Tensor input) {
        requireOpen();
        if (input instanceof SparseTensor sparse) {
            return forwardSparse(sparse);
        }
        Inputs.requireFeatures(input, inFeatures, backend, toString());
        DenseMatrix x = input.value();
        DenseMatrix y = backend.zeros(x.rows(), outFeatures);
        backend.gemm(x, false, weight.value(), true, y, false);
        if (bias != null) {
            backend.addRowVector(y, bias.value());
        }
        Tensor[] inputs = bias != null ? new Tensor[] {input, weight, bias} : new Tensor[] {input, weight};
        return Tensor.derived(
                y,
                dy -> {
                    if (input.requiresGrad()) {
                        backend.gemm(dy, false, weight.value(), false, input.gradOrZeros(), true);
                    }
                    backend.gemm(dy, true, x, false, weight.grad(), true);
                    if (bias != null) {
                        backend.columnSums(dy, bias.grad(), true);
                    }
                },
                inputs);
    }

    private Tensor forwardSparse(SparseTensor input) {
        Inputs.requireSparseFeatures(input, inFeatures, backend, toString());
        SparseMatrix x = input.pattern();
        DenseMatrix xValues = input.values();
        DenseMatrix y = backend.zeros(input.rows(), outFeatures);
        backend.sparseInputDense(x, xValues, weight.value(), y);
        if (bias != null) {
            backend.addRowVector(y, bias.value());
        }
        Tensor[] inputs = bias != null ? new Tensor[] {input, weight, bias} : new Tensor[] {input, weight};
        return Tensor.derived(
                y,
                dy -> {
                    if (input.requiresGrad()) {
                        backend.sparseInputDenseInputGradient(x, dy, weight.value(), input.gradOrZeros(), true);
                    }
                    backend.sparseInputDenseWeightGradient(x, xValues, dy, weight.grad(), true);
                    if (bias != null) {
                        backend.columnSums(dy, bias.grad(), true);
                    }
                },
                inputs);
    }

    /** The weight and, when present, the bias. */
    @Override
    public List<Parameter> parameters() {
        return bias != null ? List.of(weight, bias) : List.of(weight);
    }

    /** Number of inputs. */
    public int inFeatures() {
        return inFeatures;
    }

    /** Number of outputs. */
    public int outFeatures() {
        return outFeatures;
    }

    @Override
    public String kind() {
        return KIND;
    }

    /** Sizes and bias; tensors {@code weight} {@code [out, in]} and {@code bias} {@code [out]}. */
    @Override
    public void describe(StateWriter out) {
        out.config("in_features", inFeatures)
                .config("out_features", outFeatures)
                .config("bias", bias != null);
        out.parameter("weight", weight);
        if (bias != null) {
            out.parameter("bias", bias);
        }
    }

    @Override
    public String toString() {
        return description(inFeatures, outFeatures, bias != null);
    }

    private static String description(int in, int out, boolean bias) {
        return String.format(Locale.ROOT, "Linear(in_features=%d, out_features=%d, bias=%b)", in, out, bias);
    }

    /** Reads a saved {@link Linear} (kind {@value #KIND}); registered by {@link BuiltInLayers}. */
    static SavedLayer read(LayerReader reader) throws IOException {
        Config f = reader.config();
        int in = f.positiveInt("in_features");
        int out = f.positiveInt("out_features");
        boolean hasBias = f.bool("bias");
        if ((long) in * out > SafeTensors.MAX_ELEMENTS) {
            throw f.fail("in_features", "Linear(" + in + ", " + out + ") has more weights than one array holds");
        }
        float[] weight = reader.floats("weight", out, in);
        float[] bias = hasBias ? reader.floats("bias", out) : null;
        return new SavedLayer() {
            @Override
            public Layer build(Backend backend) throws ModelFileException {
                Linear layer = reader.construct(() -> new Linear(in, out, bias != null, 0, backend));
                restore(layer);
                return layer;
            }

            @Override
            public Runnable prepareRestore(Layer target) throws ModelFileException {
                Linear layer = (Linear) target;
                if (layer.inFeatures != in || layer.outFeatures != out || (layer.bias != null) != (bias != null)) {
                    throw reader.fail(String.format(
                            Locale.ROOT,
                            "the file has in_features=%d, out_features=%d, " + "bias=%b but the model's layer is %s",
                            in,
                            out,
                            bias != null,
                            layer));
                }
                return () -> restore(layer);
            }

            private void restore(Linear layer) {
                layer.weight.value().copyFrom(weight);
                if (bias != null) {
                    layer.bias.value().copyFrom(bias);
                }
            }

            @Override
            public String description() {
                return Linear.description(in, out, bias != null);
            }

            @Override
            public long parameterCount() {
                return (long) in * out + (bias != null ? out : 0);
            }

            @Override
            public double sparsity() {
                return 0.0;
            }
        };
    }
}
