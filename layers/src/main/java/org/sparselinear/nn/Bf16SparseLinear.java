package org.sparselinear.nn;

import java.util.Objects;
import org.sparselinear.api.Backend;
import org.sparselinear.api.Bf16Values;
import org.sparselinear.api.Connectivity;
import org.sparselinear.api.DenseMatrix;
import org.sparselinear.api.GradMode;
import org.sparselinear.api.Layer;
import org.sparselinear.api.MemoryScope;
import org.sparselinear.api.SparseMatrix;
import org.sparselinear.api.SparseTensor;
import org.sparselinear.api.Tensor;
import org.sparselinear.io.HostTensor;
import org.sparselinear.io.Saveable;
import org.sparselinear.io.StateWriter;
import org.sparselinear.spi.Bf16Products;

/**
 * A {@link SparseLinear} compressed for inference: {@code y = x W^T + b} with the weight values
 * stored as bfloat16 (rounded to nearest, ties to even, from float32; infinities and NaN kept) and
 * the products summed in float32 by the backend's {@link Bf16Products#spmmBf16}. The bias stays
 * float32. Made by {@link SparseLinear#compressForInference()} or, for a whole model,
 * {@link Sequential#compressForInference()}.
 *
 * <p>Inference only: it has no trainable parameters, a forward pass in training mode with
 * gradients on fails, and so does a backward pass through it; train the float32 model and compress
 * it afterwards. Saved, it writes an ordinary float32 {@link SparseLinear} (the exact float32 values
 * of its bfloat16 weights, no rewiring), which loads as a trainable float32 layer; compress that
 * again for inference. A backend without its own bfloat16 kernel keeps the rounded values in
 * float32 ({@link Bf16Products#storesBf16()} is then false): the same outputs, without the saving.
 * A batch of sparse rows ({@link SparseTensor}) goes through the float32 sparse-input product over
 * the widened values, which this layer widens on each call.
 */
public final class Bf16SparseLinear extends AbstractLayer implements Saveable {

    private final Backend backend;
    private final Connectivity connectivity;
    private final String topologyName;
    private final SparseMatrix pattern;
    private final Bf16Values values;
    private final DenseMatrix bias;

    /** Rounds {@code weightValues} {@code (1, nnz)} to bfloat16 and copies {@code bias} (or null); both stay the caller's. */
    Bf16SparseLinear(Connectivity connectivity, DenseMatrix weightValues, DenseMatrix bias, String topologyName) {
        this.backend = weightValues.backend();
        this.connectivity = Objects.requireNonNull(connectivity, "connectivity");
        this.topologyName = topologyName;
        try (MemoryScope own = backend.newScope()) {
            this.pattern = own.keep(backend.pattern(connectivity));
            this.values = own.keep(backend.toBf16(weightValues));
            if (bias != null) {
                DenseMatrix copy = own.keep(backend.zeros(1, bias.columns()));
                backend.copy(bias, copy);
                this.bias = copy;
            } else {
                this.bias = null;
            }
        }
        setTraining(false);
    }

    /**
     * {@code y = x W^T + b} with the bfloat16 weights.
     *
     * @throws IllegalStateException in training mode with gradients on (call {@code eval()} or
     *         run under {@link GradMode#disable()}), or on a backward pass through the output
     */
    @Override
    public Tensor forward(Tensor input) {
        requireOpen();
        if (isTraining() && GradMode.isEnabled()) {
            throw notTrainable(
                    "cannot run a training forward pass; call model.eval() or run it under " + "GradMode.disable()");
        }
        DenseMatrix y;
        if (input instanceof SparseTensor sparse) {
            Inputs.requireSparseFeatures(sparse, inFeatures(), backend, toString());
            y = backend.zeros(sparse.rows(), outFeatures());
            DenseMatrix widened = backend.zeros(1, values.length());
            backend.fromBf16(values, widened);
            backend.sparseInputSparse(sparse.pattern(), sparse.values(), pattern, widened, y);
        } else {
            Inputs.requireFeatures(input, inFeatures(), backend, toString());
            DenseMatrix x = input.value();
            y = backend.zeros(x.rows(), outFeatures());
            backend.spmmBf16(pattern, values, x, y);
        }
        if (bias != null) {
            backend.addRowVector(y, bias);
        }
        return Tensor.derived(
                y,
                dy -> {
                    throw notTrainable("has no backward pass");
                },
                input);
    }

    private IllegalStateException notTrainable(String what) {
        return new IllegalStateException(this + " is compressed for inference (bfloat16 weights) and " + what
                + "; to train, use the float32 model (the one compressForInference() was called on, or the "
                + "float32 file this model saves) and compress it again afterwards");
    }

    /**
     * This layer on {@code backend}: through its float32 model file, compressed again there.
     *
     * @throws IllegalStateException when this layer was closed
     */
    @Override
    public Layer to(Backend backend) {
        try (Layer float32 = super.to(backend)) {
            return ((SparseLinear) float32).compressForInference();
        }
    }

    /** Frees the pattern, the bfloat16 values and the bias. */
    @Override
    protected void releaseResources() {
        pattern.close();
        values.close();
        if (bias != null) {
            bias.close();
        }
    }

    /** Saved as a float32 {@link SparseLinear}: the same kind name. */
    @Override
    public String kind() {
        return SparseLinear.KIND;
    }

    /**
     * What a {@link SparseLinear} with these connections and bias writes, with the exact float32
     * values of the bfloat16 weights and no rewiring.
     */
    @Override
    public void describe(StateWriter out) {
        SparseLinear.describeConfig(out, connectivity, bias != null, topologyName, null);
        out.indices("indices", connectivity).tensor("weights", HostTensor.f32(widenedValues(), connectivity.nnz()));
        if (bias != null) {
            out.tensor("bias", HostTensor.f32(backend.download(bias), outFeatures()));
        }
    }

    /** The weight values as float32 on the host: each bfloat16 value exactly, in the connections' order. */
    public float[] widenedValues() {
        requireOpen();
        try (MemoryScope scope = backend.newScope()) {
            DenseMatrix widened = backend.zeros(1, values.length());
            backend.fromBf16(values, widened);
            return backend.download(widened);
        }
    }

    /** The bits each weight value takes on the backend: 16, or 32 where the backend has no bfloat16 kernel. */
    public int bitsPerValue() {
        return values.bitsPerValue();
    }

    /** Number of inputs. */
    public int inFeatures() {
        return connectivity.columns();
    }

    /** Number of outputs. */
    public int outFeatures() {
        return connectivity.rows();
    }

    /** The connections, {@code (out, in)}. */
    public Connectivity connectivity() {
        return connectivity;
    }

    @Override
    public String toString() {
        return SparseLinear.description("Bf16SparseLinear", connectivity, bias != null, topologyName, null);
    }
}
