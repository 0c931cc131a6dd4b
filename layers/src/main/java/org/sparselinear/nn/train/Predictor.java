package org.sparselinear.nn.train;

import java.util.Arrays;
import java.util.Objects;
import java.util.function.Supplier;
import org.sparselinear.api.Backend;
import org.sparselinear.api.Connectivity;
import org.sparselinear.api.GradMode;
import org.sparselinear.api.Layer;
import org.sparselinear.api.MemoryScope;
import org.sparselinear.api.SparseTensor;
import org.sparselinear.api.Tensor;
import org.sparselinear.data.Batch;
import org.sparselinear.data.DataLoader;
import org.sparselinear.data.Dataset;
import org.sparselinear.nn.Linear;
import org.sparselinear.nn.Sequential;
import org.sparselinear.nn.SparseLinear;

/**
 * A model's outputs for new samples: one dense sample ({@code float[]} in, {@code float[]} out), one
 * sparse row (indices and values), or many at once. Each call runs the model in evaluation mode with
 * gradients off inside its own {@link MemoryScope}, which frees its temporaries when it returns.
 *
 * <p>Thread safety: the model is put in evaluation mode when the predictor is made, and a predictor
 * may then be called from any number of threads at once; every call gets the same outputs, to the
 * bit, as a call from one thread (gradient mode and memory scopes are per thread, and the built-in
 * layers change no state in evaluation mode). Training the model, switching it back to training
 * mode, rewiring, loading into it or closing it while predictions run is not safe; a call made while
 * the model is in training mode fails.
 */
public final class Predictor {

    private final Layer model;
    private final Backend backend;
    private final int batchSize;

    /**
     * A predictor of {@code model} on {@code backend} (where its parameters live), in batches of
     * {@code batchSize} for {@link #predict(Dataset)}; puts the model in evaluation mode.
     */
    public Predictor(Layer model, Backend backend, int batchSize) {
        this.model = Objects.requireNonNull(model, "model");
        this.backend = Objects.requireNonNull(backend, "backend");
        if (batchSize < 1) {
            throw new IllegalArgumentException("the prediction batch size must be positive, got " + batchSize);
        }
        this.batchSize = batchSize;
        model.eval();
    }

    /** A predictor of {@code model} on the backend of its parameters, in batches of 256. */
    public Predictor(Layer model) {
        this(model, Trainer.backendOf(model), 256);
    }

    /** The outputs for one dense sample (its features in the model's input order, flattened). */
    public float[] predict(float[] features) {
        Objects.requireNonNull(features, "features");
        return predict(new float[][] {features})[0];
    }

    /**
     * The outputs for one sparse row: the 0-based ascending {@code indices} of its non-zero
     * features and their {@code values}. The model's first layer must be a {@link Linear} or
     * {@link SparseLinear}, which gives the number of features.
     *
     * @throws IllegalArgumentException when the indices are not ascending, out of range, or of
     *         another length than the values
     */
    public float[] predictSparse(int[] indices, float[] values) {
        Objects.requireNonNull(indices, "indices");
        Objects.requireNonNull(values, "values");
        if (indices.length != values.length) {
            throw new IllegalArgumentException("a sparse row needs one value per index, got " + indices.length
                    + " indices and " + values.length + " values");
        }
        int features = inputFeatures(model);
        Connectivity row = Connectivity.fromCsr(1, features, new int[] {0, indices.length}, indices.clone());
        return run(() -> SparseTensor.upload(backend, row, values.clone()))[0];
    }

    /** The outputs for a batch of dense samples, one row per sample (all of one length). */
    public float[][] predict(float[][] samples) {
        Objects.requireNonNull(samples, "samples");
        if (samples.length == 0) {
            return new float[0][];
        }
        int width = samples[0].length;
        float[] flat = new float[Math.multiplyExact(samples.length, width)];
        for (int i = 0; i < samples.length; i++) {
            float[] sample = samples[i];
            if (sample == null) {
                throw new NullPointerException("sample " + i + " is null");
            }
            if (sample.length != width) {
                throw new IllegalArgumentException("every sample needs the same number of features: sample 0 has "
                        + width + ", sample " + i + " has " + sample.length);
            }
            System.arraycopy(sample, 0, flat, i * width, width);
        }
        return run(() -> Tensor.constant(backend.upload(flat, samples.length, width)));
    }

    /** The outputs for every sample of {@code data}, in its order (dense or sparse samples). */
    public float[][] predict(Dataset data) {
        Objects.requireNonNull(data, "data");
        float[][] outputs = new float[data.size()][];
        int next = 0;
        for (Batch batch : new DataLoader(data, batchSize, false, 0L, false)) {
            for (float[] row : run(() -> batch.features(backend))) {
                outputs[next++] = row;
            }
        }
        return outputs;
    }

    /** Runs the model on what {@code input} uploads, inside a fresh scope; one output row per sample. */
    @SuppressWarnings("try") // the scope and the gradient mode are used for what they undo on close
    private float[][] run(Supplier<Tensor> input) {
        if (model.isTraining()) {
            throw new IllegalStateException("the model is in training mode; call model.eval() before predicting "
                    + "(and do not train it while predictions run)");
        }
        try (GradMode off = GradMode.disable();
                MemoryScope scope = backend.newScope()) {
            Tensor output = model.forward(input.get());
            float[] flat = output.toArray();
            int rows = output.rows();
            int columns = output.columns();
            float[][] result = new float[rows][];
            for (int r = 0; r < rows; r++) {
                result[r] = Arrays.copyOfRange(flat, r * columns, (r + 1) * columns);
            }
            return result;
        }
    }

    /** The number of input features of a model whose first layer is {@link Linear} or {@link SparseLinear}. */
    static int inputFeatures(Layer model) {
        Layer first = model;
        while (first instanceof Sequential sequential && !sequential.layers().isEmpty()) {
            first = sequential.layers().get(0);
        }
        if (first instanceof SparseLinear sparse) {
            return sparse.inFeatures();
        }
        if (first instanceof Linear linear) {
            return linear.inFeatures();
        }
        throw new IllegalArgumentException("a sparse row goes into a model whose first layer is Linear or "
                + "SparseLinear, but this one starts with " + first + "; predict a dense sample instead");
    }
}
