package org.sparselinear.nn;

import java.io.IOException;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.SplittableRandom;
import org.sparselinear.api.Backend;
import org.sparselinear.api.Backends;
import org.sparselinear.api.Connectivity;
import org.sparselinear.api.DenseMatrix;
import org.sparselinear.api.Layer;
import org.sparselinear.api.MemoryScope;
import org.sparselinear.api.Parameter;
import org.sparselinear.api.RewirableLayer;
import org.sparselinear.api.Rewiring;
import org.sparselinear.api.SparseMatrix;
import org.sparselinear.api.SparseTensor;
import org.sparselinear.api.Tensor;
import org.sparselinear.api.Topologies;
import org.sparselinear.api.Topology;
import org.sparselinear.io.Config;
import org.sparselinear.io.LayerReader;
import org.sparselinear.io.ModelFileException;
import org.sparselinear.io.Saveable;
import org.sparselinear.io.SavedLayer;
import org.sparselinear.io.StateWriter;
import org.sparselinear.nn.sparsity.RigL;
import org.sparselinear.nn.sparsity.SET;
import org.sparselinear.spi.Checks;

/**
 * A linear layer {@code y = x W^T + b} whose weight {@code W} (shape {@code (out, in)}) holds
 * only the connections of a sparse pattern, so memory and time grow with the number of
 * connections (nnz), not with {@code in x out}: the port of the reference PyTorch package's
 * {@code SparseLinear}.
 *
 * <p>Parameters: {@code "weight"}, the {@code (1, nnz)} values of the existing connections in the
 * {@link Connectivity}'s row-major order (an optimizer can never create a connection), and
 * {@code "bias"}, {@code (1, out)}, unless turned off. Both start from
 * {@code U(-1/sqrt(in), 1/sqrt(in))}, as in the reference package.
 *
 * <p>While the layer trains on sparse batches ({@link SparseTensor}) it holds its weight input-major: the
 * values, their gradient and every optimizer's state move once into W's column order, where the connections of
 * one input feature lie contiguous, so that a batch reads and updates only the features it holds, in order,
 * instead of gathering them from across the layer. This is invisible through the API: {@link #weight()},
 * saving (the weights, and a checkpoint's optimizer state, in row order) and compression read the row-major
 * order without moving anything; a dense training batch, loading, {@link #weightValues()} and pruning put it
 * back; element-wise updates (every optimizer) do not depend on the order. Only training moves the values:
 * in evaluation the layer runs either batch in the order it holds, so inference changes no state.
 *
 * <p>The connections come from a {@link Topology} picked by name (default {@code "random"},
 * exactly {@code round((1 - sparsity) * in * out)} uniform connections) or given by the user:
 * <pre>{@code
 * new SparseLinear(784, 2000, SparseLinear.options().sparsity(0.95).seed(7));
 * new SparseLinear(4, 3, SparseLinear.options().connectivity(new int[][] {{0, 1, 2}, {3, 0, 1}}));
 * }</pre>
 * One seed (explicit or the next of {@link Init#nextSeed()}) determines both the connections
 * and the initial values. A layer may have no connection at all (it then outputs its bias). Build
 * layers outside any memory scope: their parameters live as long
 * as the layer.
 *
 * <p>Dynamic sparsity: with {@code options().rewiring(...)} ({@link RigL}, {@link SET} or a
 * third party's {@link Rewiring}) the layer changes its connections while it trains, keeping nnz.
 * Its steps advance with the optimizer's: every built-in optimizer reports its step to the weight
 * parameter, which runs the rewiring's after-step rule, so a hand-written loop rewires without
 * calling anything (a rule that works per epoch, SET, needs
 * {@link TrainingHooks#afterEpoch(org.sparselinear.api.Layer)} at the end of each epoch, which the
 * {@code Trainer} calls). The weight {@link Parameter} stays the same object across a rewiring: its values, its
 * gradient and every optimizer's state (see {@link Parameter#remap}) follow their connections,
 * and new connections start from zero.
 */
public final class SparseLinear extends AbstractLayer implements RewirableLayer, TrainingHooks, Saveable {

    /** The kind name of sparse layers in files. */
    public static final String KIND = "SparseLinear";

    private final int inFeatures;
    private final int outFeatures;
    private final String topologyName;
    private final Backend backend;
    private Connectivity connectivity;
    /** W's pattern while the values are in row order; null while they are held input-major. */
    private SparseMatrix pattern;
    /** The weight held input-major while the layer is fed sparse batches; null while its values are in row order. */
    private InputMajorWeight inputMajor;

    private final Parameter weight;
    private final Parameter bias;
    private final LayerRewiring rewiring;

    /** A layer with the default options: 90 % sparsity, random connections, a bias. */
    public SparseLinear(int inFeatures, int outFeatures) {
        this(inFeatures, outFeatures, options());
    }

    /** A layer with these options; see {@link Options}. */
    public SparseLinear(int inFeatures, int outFeatures, Options options) {
        this.inFeatures = Checks.positive(inFeatures, "SparseLinear in_features");
        this.outFeatures = Checks.positive(outFeatures, "SparseLinear out_features");
        Objects.requireNonNull(options, "SparseLinear options");
        SplittableRandom random = new SplittableRandom(options.seed != null ? options.seed : Init.nextSeed());
        this.topologyName = options.topologyName;
        this.backend = options.backend != null ? options.backend : Backends.get();
        this.connectivity = options.connect(inFeatures, outFeatures, random.nextLong(), backend);
        int nnz = connectivity.nnz();
        double bound = Init.fanInBound(inFeatures);
        this.weight = new Parameter("weight", backend.upload(Init.uniform(nnz, bound, random), 1, nnz));
        this.bias = options.bias
                ? new Parameter("bias", backend.upload(Init.uniform(outFeatures, bound, random), 1, outFeatures))
                : null;
        this.pattern = backend.pattern(connectivity);
        this.rewiring = options.rewiring != null ? new LayerRewiring(options.rewiring, random.nextLong()) : null;
        if (rewiring != null) {
            weight.addUpdateListener(() -> rewiring.afterOptimizerStep(this));
        }
    }

    /**
     * A layer with the connections and values of a PyTorch sparse COO weight: {@code indices}
     * {@code (2, nnz)} (output rows, then input columns) in any order, as {@code coalesce()} leaves
     * them or not, {@code values} one per connection, and {@code bias} (one per output) or null.
     * The sizes are the smallest that hold the connections: {@code out_features} the bias's length,
     * or the largest row index + 1 without a bias; {@code in_features} the largest column index + 1.
     * Use {@link #fromCoo(int, int, int[][], float[], float[], Backend)} to give them. The
     * connections are sorted with their values, never mismatched; topology {@code "user"}.
     *
     * @throws IllegalArgumentException for a wrong shape, a negative index, a duplicate
     *         connection, a values array of another length, or no connection and no bias to size the layer by
     */
    public static SparseLinear fromCoo(int[][] indices, float[] values, float[] bias) {
        Objects.requireNonNull(indices, "indices");
        if (indices.length != 2 || indices[0] == null || indices[1] == null) {
            throw new IllegalArgumentException(
                    "indices must have shape (2, nnz): output (row) indices, then input " + "(column) indices");
        }
        int rows =
                bias != null ? bias.length : 1 + Arrays.stream(indices[0]).max().orElse(-1);
        int columns = 1 + Arrays.stream(indices[1]).max().orElse(-1);
        if (rows < 1 || columns < 1) {
            throw new IllegalArgumentException("cannot size a layer from no connections; use fromCoo(inFeatures, "
                    + "outFeatures, indices, values, bias, backend)");
        }
        return fromCoo(columns, rows, indices, values, bias, Backends.get());
    }

    /**
     * As {@link #fromCoo(int[][], float[], float[])}, with the sizes given and the parameters on {@code backend}.
     *
     * @throws IllegalArgumentException also for an index out of the given sizes or a bias of another length than {@code outFeatures}
     */
    public static SparseLinear fromCoo(
            int inFeatures, int outFeatures, int[][] indices, float[] values, float[] bias, Backend backend) {
        SparseWeights weights = SparseWeights.fromCoo(
                Checks.positive(outFeatures, "SparseLinear out_features"),
                Checks.positive(inFeatures, "SparseLinear in_features"),
                indices,
                values);
        if (bias != null && bias.length != outFeatures) {
            throw new IllegalArgumentException(
                    "bias has " + bias.length + " values, expected out_features = " + outFeatures);
        }
        SparseLinear layer = new SparseLinear(
                inFeatures,
                outFeatures,
                options()
                        .savedConnectivity(weights.connectivity(), "user")
                        .bias(bias != null)
                        .backend(backend)
                        .seed(0));
        layer.restore(weights.connectivity(), weights.values(), bias);
        return layer;
    }

    /**
     * A sparse layer from a trained dense one: it keeps the {@code round((1 - sparsity) * in * out)}
     * weights of {@code dense} with the largest magnitudes (over the whole matrix, as one-shot
     * magnitude pruning does; see {@link MagnitudePruning}) and its bias, on the dense layer's
     * backend, with topology {@code "user"}. The dense layer is left as it was. At sparsity 0 the
     * two layers compute the same function.
     *
     * @param sparsity the fraction of weights to drop, in [0, 1)
     * @throws IllegalArgumentException when the sparsity is outside [0, 1) or would keep no weight
     */
    public static SparseLinear fromDense(Linear dense, double sparsity) {
        Objects.requireNonNull(dense, "fromDense: the dense layer");
        if (!(sparsity >= 0 && sparsity < 1)) {
            throw new IllegalArgumentException(
                    "fromDense: sparsity must be in [0, 1), got " + sparsity + " (0.9 keeps 10 % of the weights)");
        }
        int in = dense.inFeatures();
        int out = dense.outFeatures();
        long total = (long) in * out;
        long keep = Math.round((1 - sparsity) * total);
        if (keep < 1) {
            throw new IllegalArgumentException("fromDense: sparsity " + sparsity + " keeps no weight of the " + total
                    + " of " + dense + "; use a lower sparsity");
        }
        return MagnitudePruning.prune(dense, (int) keep).layer();
    }

    /** New options with the defaults: sparsity 0.9, bias, topology "random", seed from {@link Init}, {@link Backends#get()}. */
    public static Options options() {
        return new Options();
    }

    /**
     * {@code y = x W^T + b}. A {@link SparseTensor} input (a batch of sparse rows) is never
     * densified: the product and the weight gradient run over the stored entries of both the
     * input and the weight, and the gradient of the input values is computed when the input
     * requires one.
     */
    @Override
    public Tensor forward(Tensor input) {
        requireOpen();
        if (input instanceof SparseTensor sparse) {
            return forwardSparse(sparse);
        }
        Inputs.requireFeatures(input, inFeatures, backend, toString());
        boolean training = isTraining();
        if (training) {
            holdRowOrder();
        } else if (inputMajor != null) {
            return forwardDenseInputMajor(input);
        }
        DenseMatrix x = input.value();
        DenseMatrix y = backend.zeros(x.rows(), outFeatures);
        SparseMatrix w = pattern;
        backend.spmm(w, weight.value(), x, y);
        if (bias != null) {
            backend.addRowVector(y, bias.value());
        }
        Tensor[] inputs = bias != null ? new Tensor[] {input, weight, bias} : new Tensor[] {input, weight};
        return Tensor.derived(
                y,
                dy -> {
                    backend.sparseBackward(
                            w,
                            weight.value(),
                            dy,
                            x,
                            input.requiresGrad() ? input.gradOrZeros() : null,
                            true,
                            weight.grad(),
                            true);
                    if (bias != null) {
                        backend.columnSums(dy, bias.grad(), true);
                    }
                    if (rewiring != null && training) {
                        rewiring.onBackward(backend, dy, x, w);
                    }
                },
                inputs);
    }

    /**
     * A dense batch in evaluation while the weight is held input-major: {@code y = x T} through the rows of
     * {@code T = W^T}, and the gradients through {@code T}, so that inference changes no state (a
     * {@link org.sparselinear.nn.train.Predictor} may run it on several threads at once).
     */
    private Tensor forwardDenseInputMajor(Tensor input) {
        DenseMatrix x = input.value();
        DenseMatrix y = backend.zeros(x.rows(), outFeatures);
        SparseMatrix t = inputMajor.pattern();
        backend.spmmTransposed(t, weight.value(), x, y, false);
        if (bias != null) {
            backend.addRowVector(y, bias.value());
        }
        Tensor[] inputs = bias != null ? new Tensor[] {input, weight, bias} : new Tensor[] {input, weight};
        return Tensor.derived(
                y,
                dy -> {
                    if (input.requiresGrad()) {
                        DenseMatrix dx = backend.zeros(x.rows(), inFeatures);
                        backend.spmm(t, weight.value(), dy, dx);
                        backend.axpy(1f, dx, input.gradOrZeros());
                    }
                    backend.sddmm(t, x, dy, weight.grad(), true);
                    if (bias != null) {
                        backend.columnSums(dy, bias.grad(), true);
                    }
                },
                inputs);
    }

    private Tensor forwardSparse(SparseTensor input) {
        Inputs.requireSparseFeatures(input, inFeatures, backend, toString());
        boolean training = isTraining();
        if (training) {
            holdInputMajor();
        }
        SparseMatrix x = input.pattern();
        DenseMatrix xValues = input.values();
        DenseMatrix y = backend.zeros(input.rows(), outFeatures);
        boolean byInput = inputMajor != null;
        SparseMatrix w = byInput ? inputMajor.pattern() : pattern;
        Connectivity connections = connectivity;
        if (byInput) {
            backend.sparseInputTransposedSparse(x, xValues, w, weight.value(), y);
        } else {
            backend.sparseInputSparse(x, xValues, w, weight.value(), y);
        }
        if (bias != null) {
            backend.addRowVector(y, bias.value());
        }
        Tensor[] inputs = bias != null ? new Tensor[] {input, weight, bias} : new Tensor[] {input, weight};
        return Tensor.derived(
                y,
                dy -> {
                    if (byInput) {
                        backend.sparseInputTransposedSparseWeightGradient(x, xValues, w, dy, weight.grad(), true);
                    } else {
                        backend.sparseInputSparseWeightGradient(x, xValues, w, dy, weight.grad(), true);
                    }
                    if (input.requiresGrad()) {
                        DenseMatrix dx = input.gradOrZeros();
                        if (byInput) {
                            backend.sparseInputTransposedSparseInputGradient(x, w, weight.value(), dy, dx, true);
                        } else {
                            backend.sparseInputSparseInputGradient(x, w, weight.value(), dy, dx, true);
                        }
                    }
                    if (bias != null) {
                        backend.columnSums(dy, bias.grad(), true);
                    }
                    if (rewiring != null && training) {
                        rewiring.onBackward(backend, dy, input, connections);
                    }
                },
                inputs);
    }

    // ---- value order --------------------------------------------------------------------

    /**
     * Holds the weight input-major ({@link InputMajorWeight}) when it is not: its values, gradient and every
     * optimizer's state move into W's column order ({@link Parameter#remap}). A sparse training batch reads the
     * weight by feature, and in this order it reads it in place.
     */
    private void holdInputMajor() {
        if (inputMajor != null) {
            return;
        }
        InputMajorWeight next = InputMajorWeight.of(connectivity, backend);
        try {
            weight.remap(next.fromRowOrder());
        } catch (RuntimeException e) {
            next.close();
            throw e;
        }
        inputMajor = next;
        pattern.close();
        pattern = null;
    }

    /**
     * Puts the values, gradient and optimizer state back into the order of {@link #connectivity()} when they are
     * held input-major: before a dense training batch, and before anything that writes the values or the
     * optimizer state by position (loading, a rewiring rule's {@link #weightValues()}, pruning). Training on
     * sparse batches takes the input-major order again at the next forward pass.
     */
    private void holdRowOrder() {
        if (inputMajor == null) {
            return;
        }
        SparseMatrix rowOrder;
        try (MemoryScope own = backend.newScope()) {
            rowOrder = own.keep(backend.pattern(connectivity));
        }
        try {
            weight.remap(inputMajor.toRowOrder());
        } catch (RuntimeException e) {
            rowOrder.close();
            throw e;
        }
        pattern = rowOrder;
        inputMajor.close();
        inputMajor = null;
    }

    // ---- dynamic sparsity ---------------------------------------------------------------

    /** The rewiring rule, or null for a static layer. */
    public Rewiring rewiring() {
        return rewiring != null ? rewiring.rule() : null;
    }

    /** Gives the rewiring the run's planned steps, from which a RigL without a horizon takes its own. */
    @Override
    public void beforeTraining(long plannedSteps) {
        requireOpen();
        if (rewiring != null) {
            rewiring.beforeTraining(plannedSteps);
        }
    }

    /**
     * Nothing when the optimizer has reported this step (every built-in optimizer does, and the
     * rewiring has run then); otherwise runs the rewiring's after-step rule with the step's
     * gradient candidates. Nothing without a rewiring.
     */
    @Override
    public void afterStep() {
        requireOpen();
        if (rewiring != null) {
            rewiring.afterHookStep(this);
        }
    }

    /** Runs the rewiring's after-epoch rule; nothing without a rewiring. */
    @Override
    public void afterEpoch() {
        requireOpen();
        if (rewiring != null) {
            rewiring.afterEpoch(this);
        }
    }

    @Override
    public Backend backend() {
        return backend;
    }

    /** {@inheritDoc} Puts the values into that order first when the layer holds them input-major. */
    @Override
    public Parameter weightValues() {
        requireOpen();
        holdRowOrder();
        return weight;
    }

    /** {@inheritDoc} Rearranged on the host when the layer holds its values input-major, which it keeps. */
    @Override
    public float[] downloadWeightValues() {
        float[] values = backend.download(weight.value());
        return inputMajor != null ? inputMajor.inRowOrder(values) : values;
    }

    @Override
    public int[][] gradientCandidates() {
        return rewiring != null ? rewiring.candidates() : null;
    }

    /**
     * {@inheritDoc}
     *
     * @throws IllegalStateException when the layer has no rewiring
     */
    @Override
    public java.util.SplittableRandom random() {
        if (rewiring == null) {
            throw new IllegalStateException(this + " has no rewiring, so no rewiring random stream");
        }
        return rewiring.random();
    }

    /**
     * {@inheritDoc} The new pattern is built outside every memory scope (it lives with the
     * layer); the old one is closed. Call it between training steps, not between a forward pass
     * and its backward pass.
     */
    @Override
    public void rewire(Connectivity next, int[] sourcePositions) {
        requireOpen();
        LayerRewiring.check(connectivity, next, sourcePositions, toString());
        if (inputMajor != null) {
            rewireInputMajor(next, sourcePositions);
            return;
        }
        SparseMatrix nextPattern;
        try (MemoryScope own = backend.newScope()) {
            nextPattern = own.keep(backend.pattern(next));
        }
        try {
            weight.remap(sourcePositions);
        } catch (RuntimeException e) {
            nextPattern.close();
            throw e;
        }
        SparseMatrix old = pattern;
        pattern = nextPattern;
        connectivity = next;
        old.close();
    }

    /** {@link #rewire} of a weight held input-major, which stays input-major: the sources move into that order. */
    private void rewireInputMajor(Connectivity next, int[] sourcePositions) {
        InputMajorWeight nextWeight = InputMajorWeight.of(next, backend);
        try {
            weight.remap(inputMajor.sourcesOf(nextWeight, sourcePositions));
        } catch (RuntimeException e) {
            nextWeight.close();
            throw e;
        }
        inputMajor.close();
        inputMajor = nextWeight;
        connectivity = next;
    }

    /**
     * Replaces the connections and the values with saved ones (a model file or checkpoint being
     * loaded): same shape and number of connections, so the parameters stay the same objects and
     * every optimizer keeps its buffers. The caller has checked the sizes; the old pattern is closed.
     */
    void restore(Connectivity saved, float[] weightValues, float[] biasValues) {
        if (saved.rows() != outFeatures
                || saved.columns() != inFeatures
                || saved.nnz() != nnz()
                || weightValues.length != saved.nnz()
                || (bias != null) != (biasValues != null)
                || (biasValues != null && biasValues.length != outFeatures)) {
            throw new IllegalArgumentException(this + ": saved state " + saved + " with " + weightValues.length
                    + " values" + (biasValues != null ? " and " + biasValues.length + " biases" : " and no bias")
                    + " does not fit");
        }
        holdRowOrder();
        SparseMatrix nextPattern = null;
        if (saved != connectivity) {
            try (MemoryScope own = backend.newScope()) {
                nextPattern = own.keep(backend.pattern(saved));
            }
        }
        weight.value().copyFrom(weightValues);
        if (bias != null) {
            bias.value().copyFrom(biasValues);
        }
        if (nextPattern != null) {
            SparseMatrix old = pattern;
            pattern = nextPattern;
            connectivity = saved;
            old.close();
        }
    }

    /** Frees the sparse pattern (the parameters are freed by {@link #close()}). */
    @Override
    protected void releaseResources() {
        if (inputMajor != null) {
            inputMajor.close();
        } else {
            pattern.close();
        }
    }

    /** The per-layer rewiring state (counters and seed), or null for a static layer. */
    LayerRewiring rewiringState() {
        return rewiring;
    }

    /** The topology's name, as shown by {@link #toString()}. */
    String topologyName() {
        return topologyName;
    }

    @Override
    public String kind() {
        return KIND;
    }

    /**
     * Sizes, bias, connection count, sparsity, topology name and rewiring (rule, settings, seed and
     * counters); tensors {@code indices} {@code (2, nnz)}, {@code weights} {@code [nnz]} and {@code bias}.
     */
    @Override
    public void describe(StateWriter out) {
        describeConfig(out, connectivity, bias != null, topologyName, rewiring != null ? rewiring.describe() : null);
        out.indices("indices", connectivity);
        if (inputMajor != null) {
            out.parameter("weights", weight, inputMajor.toRowOrder());
        } else {
            out.parameter("weights", weight);
        }
        if (bias != null) {
            out.parameter("bias", bias);
        }
    }

    /** The configuration of a sparse layer in a file, shared with {@link Bf16SparseLinear}, which saves as one. */
    static void describeConfig(
            StateWriter out, Connectivity connectivity, boolean bias, String topology, Object rewiring) {
        out.config("in_features", connectivity.columns())
                .config("out_features", connectivity.rows())
                .config("bias", bias)
                .config("nnz", connectivity.nnz())
                .config("sparsity", connectivity.sparsity())
                .config("topology", topology)
                .config("rewiring", rewiring);
    }

    /**
     * An inference-only copy of this layer whose weight values are stored in bfloat16 (rounded to
     * nearest, ties to even; see {@link Bf16SparseLinear}); this layer is left as it is and stays
     * trainable. The copy has the same connections and bias, no rewiring, and is in evaluation mode.
     * It pays off at small batches, where the forward pass reads the weights more than it computes
     * (on the CPU backend, a 20,000 x 20,000 layer at 99 % and batch 1 ran 1.23 times faster); at
     * batch 64 the widening of each value can make it slower than float32.
     *
     * @throws IllegalStateException when this layer was closed
     */
    public Bf16SparseLinear compressForInference() {
        requireOpen();
        if (inputMajor == null) {
            return new Bf16SparseLinear(connectivity, weight.value(), bias != null ? bias.value() : null, topologyName);
        }
        try (MemoryScope scope = backend.newScope()) {
            DenseMatrix rowOrder = backend.upload(downloadWeightValues(), 1, nnz());
            return new Bf16SparseLinear(connectivity, rowOrder, bias != null ? bias.value() : null, topologyName);
        }
    }

    /** Reads a saved {@link SparseLinear} (kind {@value #KIND}); registered by {@link BuiltInLayers}. */
    static SavedLayer read(LayerReader reader) throws IOException {
        Config f = reader.config();
        int in = f.positiveInt("in_features");
        int out = f.positiveInt("out_features");
        boolean hasBias = f.bool("bias");
        String topology = f.string("topology");
        long declared = f.nonNegativeLong("nnz");
        Connectivity connectivity = reader.connections("indices", out, in);
        if (declared != connectivity.nnz()) {
            if (reader.configFromModel()) {
                throw f.fail(
                        "nnz",
                        "the model's layer has " + declared + " connections, the file's indices hold "
                                + connectivity.nnz() + ": build the layer with the file's connections "
                                + "(SparseLinear.fromCoo) or load a state_dict saved from a layer with "
                                + declared + " connections");
            }
            throw f.fail(
                    "nnz",
                    "is " + declared + " but tensor 'indices' holds " + connectivity.nnz()
                            + " connections; the file is corrupt");
        }
        float[] weights = reader.connectionValues("weights", "indices");
        float[] bias = hasBias ? reader.floats("bias", out) : null;
        return new Saved(reader, connectivity, weights, bias, topology, LayerRewiring.Saved.read(f));
    }

    /** A sparse layer read from a file. */
    private record Saved(
            LayerReader in,
            Connectivity connectivity,
            float[] weights,
            float[] bias,
            String topology,
            LayerRewiring.Saved rewiring)
            implements SavedLayer {

        @Override
        public Layer build(Backend backend) throws ModelFileException {
            Options options = options()
                    .savedConnectivity(connectivity, topology)
                    .bias(bias != null)
                    .backend(backend)
                    .seed(0);
            if (rewiring != null) {
                options.rewiring(rewiring.rule(in));
            }
            SparseLinear layer =
                    in.construct(() -> new SparseLinear(connectivity.columns(), connectivity.rows(), options));
            restore(layer);
            return layer;
        }

        @Override
        public Runnable prepareRestore(Layer target) throws ModelFileException {
            SparseLinear layer = (SparseLinear) target;
            if (layer.inFeatures() != connectivity.columns()
                    || layer.outFeatures() != connectivity.rows()
                    || layer.hasBias() != (bias != null)) {
                throw in.fail(String.format(
                        Locale.ROOT,
                        "the file has in_features=%d, out_features=%d, bias=%b but " + "the model's layer is %s",
                        connectivity.columns(),
                        connectivity.rows(),
                        bias != null,
                        layer));
            }
            if (layer.nnz() != connectivity.nnz()) {
                throw in.fail("the file has " + connectivity.nnz() + " connections but the model's layer has "
                        + layer.nnz() + " (" + layer + "); build it with the same sparsity, or load the file with "
                        + "ModelFile.load");
            }
            LayerRewiring state = layer.rewiringState();
            if (rewiring != null
                    && state != null
                    && !rewiring.name().equals(state.rule().name())
                    && !takesHorizonFromFile(state)) {
                throw in.fail("the file's layer rewires with " + rewiring.name() + " but the model's with "
                        + state.rule().name());
            }
            return () -> restore(layer);
        }

        /** Whether the model's rule waits for a horizon and the file holds the same kind of rule with one. */
        private boolean takesHorizonFromFile(LayerRewiring state) {
            return state.awaitsHorizon()
                    && rewiring.rebuilt() != null
                    && rewiring.rebuilt().getClass() == state.rule().getClass();
        }

        private void restore(SparseLinear layer) {
            layer.restore(connectivity, weights, bias);
            LayerRewiring state = layer.rewiringState();
            if (rewiring != null && state != null && takesHorizonFromFile(state)) {
                state.adopt(rewiring.rebuilt());
            }
            if (rewiring != null && state != null) {
                state.restore(rewiring.seed(), rewiring.steps(), rewiring.epochs());
            }
        }

        @Override
        public String description() {
            return SparseLinear.description(
                    connectivity, bias != null, topology, rewiring != null ? rewiring.name() : null);
        }

        @Override
        public long parameterCount() {
            return (long) connectivity.nnz() + (bias != null ? bias.length : 0);
        }

        @Override
        public double sparsity() {
            return connectivity.sparsity();
        }
    }

    /** The weight values and, when present, the bias. */
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

    /** Number of connections (weight values). */
    public int nnz() {
        return connectivity.nnz();
    }

    /** The connections, {@code (out, in)}. */
    public Connectivity connectivity() {
        return connectivity;
    }

    /** Whether the layer adds a bias. */
    public boolean hasBias() {
        return bias != null;
    }

    /** A host-side copy of the weight: connections and current values. */
    public SparseWeights weight() {
        return new SparseWeights(connectivity, downloadWeightValues());
    }

    /**
     * Reads like PyTorch's {@code extra_repr}; sparsity is that of the connections built, to 4
     * decimals; a rewiring, when there is one, is named at the end.
     */
    @Override
    public String toString() {
        return description(
                connectivity,
                bias != null,
                topologyName,
                rewiring != null ? rewiring.rule().name() : null);
    }

    /** What {@link #toString()} reads for a layer of these connections, bias, topology and rewiring (or null). */
    private static String description(Connectivity connectivity, boolean bias, String topology, String rewiring) {
        return description("SparseLinear", connectivity, bias, topology, rewiring);
    }

    /** {@link #description(Connectivity, boolean, String, String)} under another layer name. */
    static String description(String name, Connectivity connectivity, boolean bias, String topology, String rewiring) {
        String sparsity = BigDecimal.valueOf(connectivity.sparsity())
                .setScale(4, RoundingMode.HALF_UP)
                .stripTrailingZeros()
                .toPlainString();
        return String.format(
                Locale.ROOT,
                "%s(in_features=%d, out_features=%d, bias=%b, sparsity=%s, nnz=%d, topology=%s%s)",
                name,
                connectivity.columns(),
                connectivity.rows(),
                bias,
                sparsity,
                connectivity.nnz(),
                topology,
                rewiring != null ? ", rewiring=" + rewiring : "");
    }

    /**
     * The fluent, mutable options of a {@link SparseLinear}; each setter checks its argument at
     * once. One options object may build several layers.
     */
    public static final class Options {

        private static final String USER = "user";

        private double sparsity = 0.9;
        private boolean bias = true;
        private String topologyName = "random";
        private Topology topology;
        private int[][] indices;
        private Long seed;
        private Backend backend;
        private Rewiring rewiring;
        private Connectivity saved;

        private Options() {}

        /**
         * Connections already built and checked (a loaded model file), shown under the topology
         * name they were made with. Replaces an earlier topology or connectivity.
         */
        Options savedConnectivity(Connectivity connections, String topology) {
            this.saved = Objects.requireNonNull(connections, "connectivity");
            this.topologyName = Objects.requireNonNull(topology, "topology name");
            this.topology = null;
            this.indices = null;
            return this;
        }

        /**
         * A rule that changes the connections while training, e.g. {@link RigL#forPlannedSteps} or
         * {@link SET#defaults()}; default none (static connections). One rule may serve several
         * layers; each layer keeps its own step count and random stream.
         */
        public Options rewiring(Rewiring rewiring) {
            this.rewiring = Objects.requireNonNull(rewiring, "rewiring");
            return this;
        }

        /** The fraction of absent connections, in [0, 1); default 0.9. Ignored with {@link #connectivity}. */
        public Options sparsity(double sparsity) {
            this.sparsity = Checks.sparsity(sparsity);
            return this;
        }

        /** Whether to add a bias; default true. */
        public Options bias(boolean bias) {
            this.bias = bias;
            return this;
        }

        /**
         * The topology by its registered name (see {@link Topologies#providers()}), with its default
         * parameters; default {@code "random"}. Replaces an earlier {@link #connectivity} or
         * {@link #topology(Topology)}; {@code "user"} needs {@link #connectivity} instead.
         */
        public Options topology(String name) {
            Objects.requireNonNull(name, "topology name");
            if (name.isBlank()) {
                throw new IllegalArgumentException("topology name must not be blank; use e.g. \"random\"");
            }
            this.topologyName = name.trim();
            this.topology = null;
            this.indices = null;
            this.saved = null;
            return this;
        }

        /**
         * The topology by its registered name, made at once with these parameters, e.g.
         * {@code topology("watts-strogatz", Map.of("k", 8, "beta", 0.2))}; numbers may also be
         * given as strings. Replaces an earlier topology or {@link #connectivity}.
         *
         * @throws IllegalArgumentException when no topology has this name (the message lists those
         *         found) or the topology rejects a parameter (the message names it and what it takes)
         */
        public Options topology(String name, Map<String, ?> parameters) {
            Objects.requireNonNull(name, "topology name");
            Objects.requireNonNull(parameters, "topology parameters");
            return topology(Topologies.byName(name.trim(), parameters));
        }

        /**
         * A configured topology, e.g. {@code Topologies.byName("small-world", Map.of(...))} or a
         * plugin's own. Replaces an earlier topology name or {@link #connectivity}.
         */
        public Options topology(Topology topology) {
            this.topology = Objects.requireNonNull(topology, "topology");
            this.topologyName = topology.name();
            this.indices = null;
            this.saved = null;
            return this;
        }

        /**
         * User-defined connections as a {@code (2, nnz)} array, as the reference package's
         * {@code connectivity}: {@code indices[0][k]} is the output (row), {@code indices[1][k]} the
         * input (column) of connection {@code k}, in any order. Sets the topology to {@code "user"};
         * the layer's sparsity is then that of these connections. Checked when the layer is built
         * (range, duplicates). The arrays are copied.
         */
        public Options connectivity(int[][] indices) {
            Objects.requireNonNull(indices, "connectivity indices");
            if (indices.length != 2 || indices[0] == null || indices[1] == null) {
                throw new IllegalArgumentException("connectivity must have shape (2, nnz): output (row) indices, "
                        + "then input (column) indices; got " + indices.length + " rows");
            }
            this.indices = new int[][] {indices[0].clone(), indices[1].clone()};
            this.topologyName = USER;
            this.topology = null;
            this.saved = null;
            return this;
        }

        /** The seed of the connections and initial values; default the next of {@link Init#nextSeed()}. */
        public Options seed(long seed) {
            this.seed = seed;
            return this;
        }

        /** The backend that holds the parameters and runs the layer; default {@link Backends#get()}. */
        public Options backend(Backend backend) {
            this.backend = Objects.requireNonNull(backend, "backend");
            return this;
        }

        private Connectivity connect(int in, int out, long topologySeed, Backend target) {
            String layer = "SparseLinear(in_features=" + in + ", out_features=" + out + ")";
            if (saved != null) {
                if (saved.rows() != out || saved.columns() != in) {
                    throw new IllegalArgumentException(layer + ": the given connections are " + saved
                            + ", expected rows = out_features = " + out + " and columns = in_features = " + in);
                }
                return saved;
            }
            if (indices != null) {
                try {
                    return Connectivity.fromCoo(out, in, indices);
                } catch (IllegalArgumentException e) {
                    throw new IllegalArgumentException(layer + ": bad connectivity: " + e.getMessage(), e);
                }
            }
            if (topology == null && USER.equals(topologyName)) {
                throw new IllegalArgumentException(layer + ": topology \"user\" needs the connections: "
                        + "call options().connectivity(indices) with a (2, nnz) array");
            }
            Topology chosen = topology != null ? topology : Topologies.byName(topologyName);
            long expected = chosen.connectionCount(in, out, sparsity);
            if (expected > Connectivity.MAX_NNZ) {
                throw new IllegalArgumentException(String.format(
                        Locale.ROOT,
                        "%s with topology '%s' at sparsity %s needs %d connections, more than the %d one layer can "
                                + "index with int32; raise the sparsity or split the layer",
                        layer,
                        chosen.name(),
                        sparsity,
                        expected,
                        Connectivity.MAX_NNZ));
            }
            LayerMemory.requireFits(target, in, out, expected, bias, layer);
            Connectivity built = chosen.connect(in, out, sparsity, topologySeed);
            if (built == null || built.rows() != out || built.columns() != in) {
                throw new IllegalStateException("topology '" + chosen.name() + "' returned " + built + " for "
                        + layer + "; expected a pattern with rows = out_features = " + out
                        + " and columns = in_features = " + in);
            }
            return built;
        }
    }
}
