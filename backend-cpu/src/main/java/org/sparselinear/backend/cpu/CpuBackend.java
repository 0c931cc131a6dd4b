package org.sparselinear.backend.cpu;

import java.util.function.Consumer;
import org.sparselinear.api.Activation;
import org.sparselinear.api.Bf16Values;
import org.sparselinear.api.Connectivity;
import org.sparselinear.api.DenseMatrix;
import org.sparselinear.api.SparseMatrix;
import org.sparselinear.spi.AbstractBackend;
import org.sparselinear.spi.AdagradSettings;
import org.sparselinear.spi.AdamSettings;
import org.sparselinear.spi.Checks;
import org.sparselinear.spi.SgdSettings;

/**
 * The pure-Java reference backend: multi-threaded CSR kernels for the sparse products
 * (work split by stored entries) and for sparse input batches ({@link SparseInputKernels}), a
 * blocked SIMD product ({@link DenseGemm}; EJML without the Vector API) for dense products, and
 * simple loops for the rest.
 * Dense matrices are {@code float[]} stored feature-major (element {@code (r, c)} at
 * {@code c * rows + r}); memory is Java heap, so scopes only mark matrices closed.
 *
 * <p>The thread count is fixed at construction: {@link #defaultThreads()} reads the system
 * property {@value #THREADS_PROPERTY}, else uses every available core. Operations may be called
 * from several threads on distinct matrices; a matrix must not be written by two at once.
 */
public final class CpuBackend extends AbstractBackend {

    /** The backend's name. */
    public static final String NAME = "cpu";

    /** System property giving the number of threads of the default CPU backend. */
    public static final String THREADS_PROPERTY = "sparselinear.cpu.threads";

    /** The most threads a backend may have, far above any machine's cores (each is a platform thread). */
    public static final int MAX_THREADS = 32_767;

    private final WorkerPool pool;
    private final RowKernels rowKernels;
    private final SparseKernels sparse;
    private final SparseInputKernels sparseInput;
    private final ElementwiseKernels elementwise;
    private final DenseGemm gemm;
    private final KWinnersKernels kWinners;
    private final RewiringKernels rewiring;
    private final int indexLowBits;
    private final Bf16Kernels bf16;

    /**
     * A backend with {@code threads} worker threads (the calling thread counts as one), with
     * SIMD inner loops when the JVM has the Vector API module and {@code -Dsparselinear.cpu.simd}
     * is not {@code false}.
     */
    public CpuBackend(int threads) {
        this(threads, Simd.requested());
    }

    /**
     * A backend with {@code threads} worker threads; {@code simd} asks for the Vector API inner
     * loops, which are used only when the JVM runs with {@code --add-modules jdk.incubator.vector}.
     */
    public CpuBackend(int threads, boolean simd) {
        this(threads, simd, CompactColumns.DEFAULT_LOW_BITS);
    }

    /**
     * A backend whose patterns keep {@code indexLowBits} low bits of each column index
     * ({@link CompactColumns}); fewer than 16 lets tests run the segmented encoding of wide layers
     * on small ones.
     */
    CpuBackend(int threads, boolean simd, int indexLowBits) {
        Checks.positive(threads, "threads");
        if (threads > MAX_THREADS) {
            throw new IllegalArgumentException(tooMany("threads", threads));
        }
        this.pool = new WorkerPool(threads);
        this.rowKernels = Simd.rowKernels(simd);
        this.sparse = new SparseKernels(pool, rowKernels);
        this.sparseInput = new SparseInputKernels(pool, rowKernels);
        this.elementwise = new ElementwiseKernels(pool, rowKernels);
        this.gemm = new DenseGemm(pool, rowKernels instanceof VectorRowKernels);
        this.kWinners = new KWinnersKernels(pool);
        this.rewiring = new RewiringKernels(pool);
        this.indexLowBits = indexLowBits;
        this.bf16 = new Bf16Kernels(pool, sparse, rowKernels instanceof VectorRowKernels);
    }

    /**
     * The thread count from {@value #THREADS_PROPERTY}, else the number of available cores.
     *
     * @throws IllegalArgumentException when the property is not an integer in [1, {@value #MAX_THREADS}]
     */
    public static int defaultThreads() {
        String configured = System.getProperty(THREADS_PROPERTY);
        if (configured == null || configured.isBlank()) {
            return Math.min(Runtime.getRuntime().availableProcessors(), MAX_THREADS);
        }
        int threads;
        try {
            threads = Integer.parseInt(configured.trim());
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(
                    "-D" + THREADS_PROPERTY + " must be a positive integer, got '" + configured + "'", e);
        }
        Checks.positive(threads, "-D" + THREADS_PROPERTY);
        if (threads > MAX_THREADS) {
            throw new IllegalArgumentException(tooMany("-D" + THREADS_PROPERTY, threads));
        }
        return threads;
    }

    /** The message for {@code what}, a thread count above {@link #MAX_THREADS}. */
    public static String tooMany(String what, int threads) {
        return what + " must be at most " + MAX_THREADS + " (the cap of the Java thread pool the CPU backend runs on), "
                + "got " + threads + "; one thread per core is usually fastest";
    }

    /** Number of threads the kernels use. */
    public int threads() {
        return pool.threads();
    }

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public String description() {
        return "CPU (pure Java, " + threads() + " threads, " + Simd.describe(rowKernels) + ", " + gemm.describe()
                + ", feature-major layout)";
    }

    /** Whether the sparse kernels use the Vector API (SIMD) inner loops. */
    public boolean usesSimd() {
        return rowKernels instanceof VectorRowKernels;
    }

    private static float[] data(DenseMatrix m) {
        return ((CpuDenseMatrix) m).data();
    }

    // ---- memory -------------------------------------------------------------------------

    @Override
    protected DenseMatrix allocate(int rows, int columns) {
        return new CpuDenseMatrix(this, rows, columns);
    }

    @Override
    protected SparseMatrix buildPattern(Connectivity connectivity) {
        return new CpuSparseMatrix(this, connectivity, pool.threads(), indexLowBits);
    }

    /**
     * The CSR copy: row pointers and the compact column indices ({@link CompactColumns}: two
     * bytes per connection, and segment pointers for layers wider than 65,536). The CSC form (eight more
     * bytes per connection, {@link ColumnForm#bytes}) is built only when a sparse input batch
     * meets the pattern, or when the input gradient of a batch too large for per-thread buffers
     * ({@link SparseKernels#scatters}) walks its columns.
     */
    @Override
    public long patternBytes(int rows, int columns, long nnz) {
        return 4L * (rows + 1L) + CompactColumns.bytes(rows, columns, nnz, indexLowBits);
    }

    /** What the heap can still grow into: maximum heap minus what is in use now. */
    @Override
    public long availableBytes() {
        Runtime runtime = Runtime.getRuntime();
        return runtime.maxMemory() - (runtime.totalMemory() - runtime.freeMemory());
    }

    @Override
    public boolean usesHostMemory() {
        return true;
    }

    @Override
    protected void uploadImpl(float[] rowMajor, DenseMatrix target) {
        toColumnMajor(rowMajor, target.rows(), target.columns(), data(target));
    }

    @Override
    protected float[] downloadImpl(DenseMatrix matrix) {
        float[] rowMajor = new float[data(matrix).length];
        // the column-major (rows, columns) matrix is the row-major (columns, rows) one
        toColumnMajor(data(matrix), matrix.columns(), matrix.rows(), rowMajor);
        return rowMajor;
    }

    /**
     * {@code target[c * rows + r] = source[r * columns + c]}: a transpose ({@link RowKernels#transpose}; an
     * element-by-element one writes a cache line per element, which made uploading a dropout mask cost more than
     * the layer's arithmetic), or a plain copy for one row or one column.
     */
    private void toColumnMajor(float[] source, int rows, int columns, float[] target) {
        if (rows == 1 || columns == 1) {
            System.arraycopy(source, 0, target, 0, rows * columns);
        } else {
            rowKernels.transpose(source, 0, columns, target, 0, rows, rows, columns);
        }
    }

    @Override
    protected void copyImpl(DenseMatrix source, DenseMatrix target) {
        System.arraycopy(data(source), 0, data(target), 0, data(source).length);
    }

    /** Feature-major: the columns are one contiguous block in each matrix. */
    @Override
    protected void copyColumnsImpl(
            DenseMatrix source, int sourceColumn, DenseMatrix target, int targetColumn, int count) {
        int rows = source.rows();
        System.arraycopy(data(source), sourceColumn * rows, data(target), targetColumn * rows, count * rows);
    }

    /** Filling with +0 clears only where the matrix may hold non-zeros, when that is known ({@link NonZeroRanges}). */
    @Override
    protected void fillImpl(DenseMatrix matrix, float value) {
        CpuDenseMatrix target = (CpuDenseMatrix) matrix;
        boolean positiveZero = Float.floatToRawIntBits(value) == 0;
        NonZeroRanges where = target.nonZeros();
        if (positiveZero && where != null) {
            elementwise.clear(target.dataKeepingNonZeros(), where);
        } else {
            elementwise.fill(target.dataKeepingNonZeros(), value);
        }
        target.nonZeros(positiveZero ? NonZeroRanges.NONE : null);
    }

    // ---- sparse -------------------------------------------------------------------------

    @Override
    protected void spmmImpl(SparseMatrix weight, DenseMatrix values, DenseMatrix x, DenseMatrix y) {
        sparse.spmm((CpuSparseMatrix) weight, data(values), data(x), data(y), x.rows());
    }

    @Override
    protected void spmmTransposedImpl(
            SparseMatrix weight, DenseMatrix values, DenseMatrix dy, DenseMatrix dx, boolean accumulate) {
        sparse.spmmTransposed(
                (CpuSparseMatrix) weight, data(values), data(dy), dx == null ? null : data(dx), dy.rows(), accumulate);
    }

    @Override
    protected void sddmmImpl(
            SparseMatrix weight, DenseMatrix dy, DenseMatrix x, DenseMatrix dValues, boolean accumulate) {
        sparse.sddmm((CpuSparseMatrix) weight, data(dy), data(x), data(dValues), dy.rows(), accumulate);
    }

    // ---- bfloat16 inference -------------------------------------------------------------

    @Override
    protected Bf16Values toBf16Impl(DenseMatrix values) {
        return new CpuBf16Values(this, bf16.toBf16(data(values)));
    }

    @Override
    protected void spmmBf16Impl(SparseMatrix weight, Bf16Values values, DenseMatrix x, DenseMatrix y) {
        bf16.spmm((CpuSparseMatrix) weight, ((CpuBf16Values) values).bits(), data(x), data(y), x.rows());
    }

    @Override
    protected void fromBf16Impl(Bf16Values values, DenseMatrix target) {
        bf16.fromBf16(((CpuBf16Values) values).bits(), data(target));
    }

    /**
     * Small batches with an input gradient take one fused pass over the pattern. Larger ones run
     * the input gradient, then the SDDMM: fused, the rows of {@code x}, of {@code dx} and of the
     * per-thread buffers compete for the cache, and the single pass measured slower than two
     * (B: 90 against 52 ms).
     */
    @Override
    protected void sparseBackwardImpl(
            SparseMatrix weight,
            DenseMatrix values,
            DenseMatrix dy,
            DenseMatrix x,
            DenseMatrix dx,
            boolean accumulateDx,
            DenseMatrix dValues,
            boolean accumulateDValues) {
        if (dx == null || dy.rows() >= SparseKernels.SCATTER_BELOW_BATCH) {
            super.sparseBackwardImpl(weight, values, dy, x, dx, accumulateDx, dValues, accumulateDValues);
            return;
        }
        sparse.backwardFused(
                (CpuSparseMatrix) weight,
                data(values),
                data(dy),
                data(x),
                data(dx),
                data(dValues),
                dy.rows(),
                accumulateDx,
                accumulateDValues);
    }

    // ---- dense --------------------------------------------------------------------------

    @Override
    protected void gemmImpl(
            DenseMatrix a, boolean transposeA, DenseMatrix b, boolean transposeB, DenseMatrix c, boolean accumulate) {
        gemm.gemm((CpuDenseMatrix) a, transposeA, (CpuDenseMatrix) b, transposeB, (CpuDenseMatrix) c, accumulate);
    }

    @Override
    protected void addRowVectorImpl(DenseMatrix y, DenseMatrix row) {
        BatchKernels.addRowVector(data(y), data(row), y.rows());
    }

    @Override
    protected void columnSumsImpl(DenseMatrix x, DenseMatrix sums, boolean accumulate) {
        BatchKernels.columnSums(data(x), data(sums), x.rows(), accumulate);
    }

    @Override
    protected void activateImpl(Activation function, DenseMatrix x, DenseMatrix y) {
        elementwise.activate(function, data(x), data(y));
    }

    @Override
    protected void activateBackwardImpl(
            Activation function, DenseMatrix x, DenseMatrix y, DenseMatrix dy, DenseMatrix dx, boolean accumulate) {
        elementwise.activateBackward(function, data(x), data(y), data(dy), data(dx), accumulate);
    }

    @Override
    protected void layerNormImpl(
            DenseMatrix x,
            DenseMatrix gamma,
            DenseMatrix beta,
            float epsilon,
            DenseMatrix y,
            DenseMatrix mean,
            DenseMatrix rstd) {
        BatchKernels.layerNorm(data(x), data(gamma), data(beta), epsilon, data(y), data(mean), data(rstd), x.rows());
    }

    @Override
    protected void layerNormBackwardImpl(
            DenseMatrix x,
            DenseMatrix gamma,
            DenseMatrix mean,
            DenseMatrix rstd,
            DenseMatrix dy,
            DenseMatrix dx,
            DenseMatrix dGamma,
            DenseMatrix dBeta) {
        BatchKernels.layerNormBackward(
                data(x),
                data(gamma),
                data(mean),
                data(rstd),
                data(dy),
                dx == null ? null : data(dx),
                dGamma == null ? null : data(dGamma),
                dBeta == null ? null : data(dBeta),
                x.rows());
    }

    @Override
    protected void softmaxCrossEntropyImpl(
            DenseMatrix logits, int[] labels, DenseMatrix probabilities, DenseMatrix loss) {
        data(loss)[0] = BatchKernels.softmaxCrossEntropy(
                data(logits), labels, data(probabilities), logits.rows(), logits.columns());
    }

    @Override
    protected void softmaxCrossEntropyBackwardImpl(
            DenseMatrix probabilities, int[] labels, DenseMatrix dLoss, DenseMatrix dLogits, boolean accumulate) {
        BatchKernels.softmaxCrossEntropyBackward(
                data(probabilities), labels, data(dLoss)[0], data(dLogits), probabilities.rows(), accumulate);
    }

    @Override
    protected void squaredErrorImpl(DenseMatrix prediction, DenseMatrix target, float scale, DenseMatrix loss) {
        data(loss)[0] = ElementwiseKernels.squaredError(data(prediction), data(target), scale);
    }

    @Override
    protected void squaredErrorBackwardImpl(
            DenseMatrix prediction,
            DenseMatrix target,
            float scale,
            DenseMatrix dLoss,
            DenseMatrix dPrediction,
            boolean accumulate) {
        elementwise.squaredErrorBackward(
                data(prediction), data(target), 2f * scale * data(dLoss)[0], data(dPrediction), accumulate);
    }

    @Override
    protected void axpyImpl(float alpha, DenseMatrix x, DenseMatrix y) {
        elementwise.axpy(alpha, data(x), data(y));
    }

    @Override
    protected void scaleImpl(DenseMatrix x, float alpha) {
        elementwise.scale(data(x), alpha);
    }

    @Override
    protected void dropoutImpl(DenseMatrix x, DenseMatrix y, long key, int threshold, float scale, boolean accumulate) {
        elementwise.dropout(data(x), data(y), x.rows(), x.columns(), key, threshold, scale, accumulate);
    }

    @Override
    protected int[] argmaxRowsImpl(DenseMatrix matrix) {
        return BatchKernels.argmaxRows(data(matrix), matrix.rows(), matrix.columns());
    }

    // ---- activation sparsity and rewiring ------------------------------------------------

    @Override
    protected void kWinnersImpl(DenseMatrix x, DenseMatrix boost, int k, DenseMatrix y, DenseMatrix mask) {
        kWinners.kWinners(data(x), data(boost), x.rows(), x.columns(), k, data(y), data(mask));
    }

    @Override
    protected void boostFactorsImpl(DenseMatrix dutyCycle, float density, float strength, DenseMatrix boost) {
        KWinnersKernels.boostFactors(data(dutyCycle), density, strength, data(boost));
    }

    @Override
    protected int[][] topKAbsDenseGradientImpl(DenseMatrix dy, DenseMatrix x, SparseMatrix exclude, int k) {
        long[] positions = rewiring.topKAbsDenseGradient(data(dy), data(x), dy.rows(), (CpuSparseMatrix) exclude, k);
        int in = exclude.columns();
        int[] rows = new int[positions.length];
        int[] columns = new int[positions.length];
        for (int j = 0; j < positions.length; j++) {
            rows[j] = (int) (positions[j] / in);
            columns[j] = (int) (positions[j] % in);
        }
        return new int[][] {rows, columns};
    }

    @Override
    protected void gatherImpl(DenseMatrix source, int[] sourcePositions, DenseMatrix target) {
        rewiring.gather(data(source), sourcePositions, data(target));
    }

    // ---- optimizers ---------------------------------------------------------------------

    @Override
    protected void sgdStepImpl(
            DenseMatrix parameter, DenseMatrix gradient, DenseMatrix velocity, SgdSettings settings) {
        // without momentum or weight decay, a zero gradient leaves its weight as it is
        boolean skipsZeros = velocity == null && settings.weightDecay() == 0f;
        NonZeroRanges where = gradientNonZeros(gradient, skipsZeros, parameter, velocity);
        float[] p = data(parameter);
        float[] v = velocity == null ? null : data(velocity);
        elementwise.sgd(p, gradientData(gradient, where), v, settings, where);
    }

    @Override
    protected void adamStepImpl(
            DenseMatrix parameter,
            DenseMatrix gradient,
            DenseMatrix firstMoment,
            DenseMatrix secondMoment,
            AdamSettings settings,
            long step) {
        elementwise.adam(data(parameter), data(gradient), data(firstMoment), data(secondMoment), settings, step);
    }

    @Override
    protected void adagradStepImpl(
            DenseMatrix parameter, DenseMatrix gradient, DenseMatrix sum, AdagradSettings settings, long step) {
        // Adagrad leaves the elements of zero gradient as they are when there is no weight decay
        NonZeroRanges where = gradientNonZeros(gradient, settings.weightDecay() == 0f, parameter, sum);
        float[] p = data(parameter);
        float[] s = data(sum);
        elementwise.adagrad(p, gradientData(gradient, where), s, settings, step, where);
    }

    /**
     * Where an optimizer's {@code gradient} may be non-zero ({@link NonZeroRanges}), when its update leaves the
     * weights of zero gradient as they are ({@code skipsZeros}) and writes only {@code written}, not the gradient;
     * else null: the update covers every element. Call it before getting the arrays.
     */
    private static NonZeroRanges gradientNonZeros(DenseMatrix gradient, boolean skipsZeros, DenseMatrix... written) {
        for (DenseMatrix matrix : written) {
            if (matrix == gradient) {
                return null;
            }
        }
        return skipsZeros ? ((CpuDenseMatrix) gradient).nonZeros() : null;
    }

    /** The gradient's array for an update: read only, keeping its ranges, when they are used ({@code where}). */
    private static float[] gradientData(DenseMatrix gradient, NonZeroRanges where) {
        return where == null ? data(gradient) : ((CpuDenseMatrix) gradient).dataKeepingNonZeros();
    }

    @Override
    public void close() {
        markClosed();
        pool.close();
    }

    // ---- sparse input -------------------------------------------------------------------

    @Override
    protected void sparseInputDenseImpl(SparseMatrix x, DenseMatrix xValues, DenseMatrix weight, DenseMatrix y) {
        sparseInput.denseForward((CpuSparseMatrix) x, data(xValues), data(weight), data(y), weight.rows());
    }

    @Override
    protected void sparseInputDenseWeightGradientImpl(
            SparseMatrix x, DenseMatrix xValues, DenseMatrix dy, DenseMatrix dWeight, boolean accumulate) {
        CpuSparseMatrix batch = (CpuSparseMatrix) x;
        float[] xData = data(xValues);
        float[] dyData = data(dy);
        int outputs = dy.columns();
        // column i of the feature-major gradient, the weights of input i, is [i * outputs, (i + 1) * outputs)
        NonZeroRanges written = NonZeroRanges.ofLines(batch.columnForm().nonEmptyColumns, i -> i * outputs);
        addToGradient(
                dWeight,
                accumulate,
                written,
                gradient -> sparseInput.denseWeightGradient(batch, xData, dyData, gradient, outputs, accumulate));
    }

    @Override
    protected void sparseInputDenseInputGradientImpl(
            SparseMatrix x, DenseMatrix dy, DenseMatrix weight, DenseMatrix dxValues, boolean accumulate) {
        sparseInput.denseInputGradient(
                (CpuSparseMatrix) x, data(dy), data(weight), data(dxValues), weight.rows(), accumulate);
    }

    @Override
    protected void sparseInputSparseImpl(
            SparseMatrix x, DenseMatrix xValues, SparseMatrix weight, DenseMatrix weightValues, DenseMatrix y) {
        sparseInput.sparseForward(
                (CpuSparseMatrix) x, data(xValues), (CpuSparseMatrix) weight, data(weightValues), data(y));
    }

    @Override
    protected void sparseInputSparseWeightGradientImpl(
            SparseMatrix x,
            DenseMatrix xValues,
            SparseMatrix weight,
            DenseMatrix dy,
            DenseMatrix dWeightValues,
            boolean accumulate) {
        sparseInput.sparseWeightGradient(
                (CpuSparseMatrix) x,
                data(xValues),
                (CpuSparseMatrix) weight,
                data(dy),
                data(dWeightValues),
                accumulate);
    }

    @Override
    protected void sparseInputSparseInputGradientImpl(
            SparseMatrix x,
            SparseMatrix weight,
            DenseMatrix weightValues,
            DenseMatrix dy,
            DenseMatrix dxValues,
            boolean accumulate) {
        sparseInput.sparseInputGradient(
                (CpuSparseMatrix) x,
                (CpuSparseMatrix) weight,
                data(weightValues),
                data(dy),
                data(dxValues),
                accumulate);
    }

    @Override
    protected void sparseInputTransposedSparseImpl(
            SparseMatrix x, DenseMatrix xValues, SparseMatrix weightT, DenseMatrix weightTValues, DenseMatrix y) {
        sparseInput.transposedForward(
                (CpuSparseMatrix) x, data(xValues), (CpuSparseMatrix) weightT, data(weightTValues), data(y));
    }

    @Override
    protected void sparseInputTransposedSparseWeightGradientImpl(
            SparseMatrix x,
            DenseMatrix xValues,
            SparseMatrix weightT,
            DenseMatrix dy,
            DenseMatrix dWeightTValues,
            boolean accumulate) {
        CpuSparseMatrix batch = (CpuSparseMatrix) x;
        CpuSparseMatrix t = (CpuSparseMatrix) weightT;
        float[] xData = data(xValues);
        float[] dyData = data(dy);
        // the rows of T of the batch's features
        NonZeroRanges written = NonZeroRanges.ofLines(batch.columnForm().nonEmptyColumns, i -> t.rowPointers[i]);
        addToGradient(
                dWeightTValues,
                accumulate,
                written,
                gradient -> sparseInput.transposedWeightGradient(batch, xData, t, dyData, gradient, accumulate));
    }

    /**
     * Runs a weight-gradient kernel that writes {@code gradient} only in {@code written} (and zeroes the rest when
     * it does not {@code accumulate}), and records where the gradient may now hold non-zeros
     * ({@link NonZeroRanges}).
     */
    private static void addToGradient(
            DenseMatrix gradient, boolean accumulate, NonZeroRanges written, Consumer<float[]> kernel) {
        CpuDenseMatrix target = (CpuDenseMatrix) gradient;
        NonZeroRanges before = accumulate ? target.nonZeros() : NonZeroRanges.NONE;
        kernel.accept(target.dataKeepingNonZeros());
        target.nonZeros(before == null ? null : before.union(written));
    }

    @Override
    protected void sparseInputTransposedSparseInputGradientImpl(
            SparseMatrix x,
            SparseMatrix weightT,
            DenseMatrix weightTValues,
            DenseMatrix dy,
            DenseMatrix dxValues,
            boolean accumulate) {
        sparseInput.transposedInputGradient(
                (CpuSparseMatrix) x,
                (CpuSparseMatrix) weightT,
                data(weightTValues),
                data(dy),
                data(dxValues),
                accumulate);
    }
}
