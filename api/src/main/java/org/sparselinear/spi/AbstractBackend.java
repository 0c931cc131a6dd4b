package org.sparselinear.spi;

import java.util.Objects;
import java.util.Set;
import org.sparselinear.api.Activation;
import org.sparselinear.api.Backend;
import org.sparselinear.api.Bf16Values;
import org.sparselinear.api.Connectivity;
import org.sparselinear.api.DenseMatrix;
import org.sparselinear.api.DeviceResource;
import org.sparselinear.api.MemoryScope;
import org.sparselinear.api.SparseMatrix;

/**
 * The base of every backend: checks each argument of each {@link Backend} operation (ownership,
 * open resources, shapes, label ranges) with the same clear messages on every device, tracks
 * memory scopes, and hands the checked call to a kernel method ({@code ...Impl}) that the
 * backend implements. Subclasses never see a bad argument.
 *
 * <p>The kernels of the optional {@link org.sparselinear.spi.SparsityOps} family have host
 * fallbacks here; {@link #hostOperations()} lists those a subclass does not override. The
 * {@link Bf16Products} kernels have a float32 default ({@link #storesBf16()} says whether a
 * subclass overrides it).
 */
public abstract class AbstractBackend implements Backend {

    private final ScopedResources scopes = new ScopedResources();
    private final HostFallbacks hostFallbacks = new HostFallbacks();
    private volatile boolean closed;

    /** Whether {@link #close()} has been called: every operation then fails. */
    @Override
    public final boolean isClosed() {
        return closed;
    }

    /** Subclasses call this first in {@link #close()}, so that later calls fail clearly. */
    protected final void markClosed() {
        closed = true;
    }

    // ---- hooks for subclasses -----------------------------------------------------------

    /** Allocates a zero-filled matrix; not yet owned by a scope. */
    protected abstract DenseMatrix allocate(int rows, int columns);

    /** Builds the device form of a pattern; not yet owned by a scope. */
    protected abstract SparseMatrix buildPattern(Connectivity connectivity);

    protected abstract void uploadImpl(float[] rowMajor, DenseMatrix target);

    protected abstract float[] downloadImpl(DenseMatrix matrix);

    protected abstract void copyImpl(DenseMatrix source, DenseMatrix target);

    protected abstract void fillImpl(DenseMatrix matrix, float value);

    /** {@link #copyColumns}, checked: the ranges are inside both matrices, {@code count > 0}, and they are two matrices. */
    protected abstract void copyColumnsImpl(
            DenseMatrix source, int sourceColumn, DenseMatrix target, int targetColumn, int count);

    protected abstract void spmmImpl(SparseMatrix weight, DenseMatrix values, DenseMatrix x, DenseMatrix y);

    protected abstract void spmmTransposedImpl(
            SparseMatrix weight, DenseMatrix values, DenseMatrix dy, DenseMatrix dx, boolean accumulate);

    protected abstract void sddmmImpl(
            SparseMatrix weight, DenseMatrix dy, DenseMatrix x, DenseMatrix dValues, boolean accumulate);

    protected abstract void sparseInputDenseImpl(
            SparseMatrix x, DenseMatrix xValues, DenseMatrix weight, DenseMatrix y);

    protected abstract void sparseInputDenseWeightGradientImpl(
            SparseMatrix x, DenseMatrix xValues, DenseMatrix dy, DenseMatrix dWeight, boolean accumulate);

    protected abstract void sparseInputDenseInputGradientImpl(
            SparseMatrix x, DenseMatrix dy, DenseMatrix weight, DenseMatrix dxValues, boolean accumulate);

    protected abstract void sparseInputSparseImpl(
            SparseMatrix x, DenseMatrix xValues, SparseMatrix weight, DenseMatrix weightValues, DenseMatrix y);

    protected abstract void sparseInputSparseWeightGradientImpl(
            SparseMatrix x,
            DenseMatrix xValues,
            SparseMatrix weight,
            DenseMatrix dy,
            DenseMatrix dWeightValues,
            boolean accumulate);

    protected abstract void sparseInputSparseInputGradientImpl(
            SparseMatrix x,
            SparseMatrix weight,
            DenseMatrix weightValues,
            DenseMatrix dy,
            DenseMatrix dxValues,
            boolean accumulate);

    protected abstract void sparseInputTransposedSparseImpl(
            SparseMatrix x, DenseMatrix xValues, SparseMatrix weightT, DenseMatrix weightTValues, DenseMatrix y);

    protected abstract void sparseInputTransposedSparseWeightGradientImpl(
            SparseMatrix x,
            DenseMatrix xValues,
            SparseMatrix weightT,
            DenseMatrix dy,
            DenseMatrix dWeightTValues,
            boolean accumulate);

    protected abstract void sparseInputTransposedSparseInputGradientImpl(
            SparseMatrix x,
            SparseMatrix weightT,
            DenseMatrix weightTValues,
            DenseMatrix dy,
            DenseMatrix dxValues,
            boolean accumulate);

    protected abstract void gemmImpl(
            DenseMatrix a, boolean transposeA, DenseMatrix b, boolean transposeB, DenseMatrix c, boolean accumulate);

    protected abstract void addRowVectorImpl(DenseMatrix y, DenseMatrix row);

    protected abstract void columnSumsImpl(DenseMatrix x, DenseMatrix sums, boolean accumulate);

    protected abstract void activateImpl(Activation function, DenseMatrix x, DenseMatrix y);

    protected abstract void activateBackwardImpl(
            Activation function, DenseMatrix x, DenseMatrix y, DenseMatrix dy, DenseMatrix dx, boolean accumulate);

    protected abstract void layerNormImpl(
            DenseMatrix x,
            DenseMatrix gamma,
            DenseMatrix beta,
            float epsilon,
            DenseMatrix y,
            DenseMatrix mean,
            DenseMatrix rstd);

    protected abstract void layerNormBackwardImpl(
            DenseMatrix x,
            DenseMatrix gamma,
            DenseMatrix mean,
            DenseMatrix rstd,
            DenseMatrix dy,
            DenseMatrix dx,
            DenseMatrix dGamma,
            DenseMatrix dBeta);

    protected abstract void softmaxCrossEntropyImpl(
            DenseMatrix logits, int[] labels, DenseMatrix probabilities, DenseMatrix loss);

    protected abstract void softmaxCrossEntropyBackwardImpl(
            DenseMatrix probabilities, int[] labels, DenseMatrix dLoss, DenseMatrix dLogits, boolean accumulate);

    protected abstract void squaredErrorImpl(DenseMatrix prediction, DenseMatrix target, float scale, DenseMatrix loss);

    protected abstract void squaredErrorBackwardImpl(
            DenseMatrix prediction,
            DenseMatrix target,
            float scale,
            DenseMatrix dLoss,
            DenseMatrix dPrediction,
            boolean accumulate);

    protected abstract void axpyImpl(float alpha, DenseMatrix x, DenseMatrix y);

    protected abstract void scaleImpl(DenseMatrix x, float alpha);

    /** {@link #dropout} with the mask's threshold and the kept elements' scale from {@link DropoutMask}. */
    protected abstract void dropoutImpl(
            DenseMatrix x, DenseMatrix y, long key, int threshold, float scale, boolean accumulate);

    protected abstract int[] argmaxRowsImpl(DenseMatrix matrix);

    protected abstract void sgdStepImpl(
            DenseMatrix parameter, DenseMatrix gradient, DenseMatrix velocity, SgdSettings settings);

    protected abstract void adamStepImpl(
            DenseMatrix parameter,
            DenseMatrix gradient,
            DenseMatrix firstMoment,
            DenseMatrix secondMoment,
            AdamSettings settings,
            long step);

    protected abstract void adagradStepImpl(
            DenseMatrix parameter, DenseMatrix gradient, DenseMatrix sum, AdagradSettings settings, long step);

    // ---- hooks with a portable default --------------------------------------------------
    // The optional family (SparsityOps): each operation has a plain host implementation here
    // (download, loop, upload) so that every backend supports it at once. A device backend
    // overrides them with its own kernels; the conformance kit checks either.

    /**
     * The optional operations this backend's class leaves to the host fallbacks below: those
     * whose kernel method ({@code kWinnersImpl}, ...) it does not override. A backend whose
     * override still calls the fallback in some cases overrides this method to say so.
     */
    @Override
    public Set<String> hostOperations() {
        return HostFallbacks.hostOperations(getClass());
    }

    /**
     * {@link Backend#kWinners}, checked. The default downloads {@code x} and {@code boost}, picks
     * each row's winners on the host and uploads {@code y} and {@code mask}.
     */
    protected void kWinnersImpl(DenseMatrix x, DenseMatrix boost, int k, DenseMatrix y, DenseMatrix mask) {
        hostFallbacks.ran(this, "kWinners");
        float[] values = downloadImpl(x);
        float[] out = new float[values.length];
        float[] winners = new float[values.length];
        HostKernels.kWinners(values, downloadImpl(boost), x.rows(), x.columns(), k, out, winners);
        uploadImpl(out, y);
        uploadImpl(winners, mask);
    }

    /** {@link Backend#boostFactors}, checked. The default computes on the host. */
    protected void boostFactorsImpl(DenseMatrix dutyCycle, float density, float strength, DenseMatrix boost) {
        hostFallbacks.ran(this, "boostFactors");
        float[] dutyCycles = downloadImpl(dutyCycle);
        float[] factors = new float[dutyCycles.length];
        HostKernels.boostFactors(dutyCycles, density, strength, factors);
        uploadImpl(factors, boost);
    }

    /**
     * {@link Backend#topKAbsDenseGradient}, checked. The default downloads {@code dy} and
     * {@code x} (small: one batch) and computes the gradient one row at a time on the host.
     */
    protected int[][] topKAbsDenseGradientImpl(DenseMatrix dy, DenseMatrix x, SparseMatrix exclude, int k) {
        hostFallbacks.ran(this, "topKAbsDenseGradient");
        return HostKernels.topKAbsDenseGradient(
                downloadImpl(dy), downloadImpl(x), dy.rows(), exclude.connectivity(), k);
    }

    /** {@link Backend#gather}, checked. The default goes through the host. */
    protected void gatherImpl(DenseMatrix source, int[] sourcePositions, DenseMatrix target) {
        hostFallbacks.ran(this, "gather");
        uploadImpl(HostKernels.gather(downloadImpl(source), sourcePositions), target);
    }

    // ---- memory -------------------------------------------------------------------------

    @Override
    public final MemoryScope newScope() {
        return scopes.newScope();
    }

    @Override
    public final DenseMatrix zeros(int rows, int columns) {
        requireOpen();
        Checks.positive(rows, "rows");
        Checks.nonNegative(columns, "columns");
        if ((long) rows * columns > Integer.MAX_VALUE - 8) {
            throw new IllegalArgumentException("a dense matrix holds at most " + (Integer.MAX_VALUE - 8)
                    + " elements, got (" + rows + ", " + columns + ") = " + (long) rows * columns
                    + "; use a sparse layer or a smaller batch");
        }
        return scopes.adopt(allocate(rows, columns));
    }

    @Override
    public final DenseMatrix upload(float[] rowMajor, int rows, int columns) {
        Objects.requireNonNull(rowMajor, "data");
        if ((long) rows * columns != rowMajor.length) {
            throw new IllegalArgumentException("upload: shape (" + rows + ", " + columns + ") needs "
                    + (long) rows * columns + " values, got " + rowMajor.length);
        }
        DenseMatrix m = zeros(rows, columns);
        uploadImpl(rowMajor, m);
        return m;
    }

    @Override
    public final float[] download(DenseMatrix matrix) {
        own(matrix, "download");
        return downloadImpl(matrix);
    }

    @Override
    public final void copy(DenseMatrix source, DenseMatrix target) {
        own(source, "copy source");
        own(target, "copy target");
        Checks.sameShape(source, target, "copy");
        copyImpl(source, target);
    }

    @Override
    public final void copyColumns(
            DenseMatrix source, int sourceColumn, DenseMatrix target, int targetColumn, int count) {
        own(source, "copyColumns source");
        own(target, "copyColumns target");
        distinct(target, source, "copyColumns: the target must not be the source");
        if (source.rows() != target.rows()) {
            throw new IllegalArgumentException("copyColumns: the source " + source.shapeString() + " and the target "
                    + target.shapeString() + " need the same number of rows");
        }
        Checks.nonNegative(count, "copyColumns count");
        columnRange(source, sourceColumn, count, "source");
        columnRange(target, targetColumn, count, "target");
        if (count > 0) {
            copyColumnsImpl(source, sourceColumn, target, targetColumn, count);
        }
    }

    private static void columnRange(DenseMatrix matrix, int first, int count, String which) {
        if (first < 0 || (long) first + count > matrix.columns()) {
            throw new IllegalArgumentException("copyColumns: " + which + " columns [" + first + ", "
                    + ((long) first + count) + ") are not all inside the " + which + " " + matrix.shapeString()
                    + "; expected 0 <= first and first + count <= " + matrix.columns());
        }
    }

    @Override
    public final void fill(DenseMatrix matrix, float value) {
        own(matrix, "fill");
        fillImpl(matrix, value);
    }

    @Override
    public final SparseMatrix pattern(Connectivity connectivity) {
        requireOpen();
        Objects.requireNonNull(connectivity, "connectivity");
        return scopes.adopt(buildPattern(connectivity));
    }

    // ---- sparse -------------------------------------------------------------------------

    @Override
    public final void spmm(SparseMatrix weight, DenseMatrix values, DenseMatrix x, DenseMatrix y) {
        checkSparse(weight, values, "spmm");
        own(x, "spmm x");
        own(y, "spmm y");
        Checks.shape(x, x.rows(), weight.columns(), "spmm input x (batch, in)");
        Checks.shape(y, x.rows(), weight.rows(), "spmm output y (batch, out)");
        distinct(y, x, "spmm: the output y must not be the input x");
        distinct(y, values, "spmm: the output y must not be the values");
        spmmImpl(weight, values, x, y);
    }

    @Override
    public final void spmmTransposed(
            SparseMatrix weight, DenseMatrix values, DenseMatrix dy, DenseMatrix dx, boolean accumulate) {
        checkSparse(weight, values, "spmmTransposed");
        own(dy, "spmmTransposed dy");
        own(dx, "spmmTransposed dx");
        Checks.shape(dy, dy.rows(), weight.rows(), "spmmTransposed dy (batch, out)");
        Checks.shape(dx, dy.rows(), weight.columns(), "spmmTransposed dx (batch, in)");
        distinct(dx, dy, "spmmTransposed: the output dx must not be the input dy");
        distinct(dx, values, "spmmTransposed: the output dx must not be the values");
        spmmTransposedImpl(weight, values, dy, dx, accumulate);
    }

    @Override
    public final void sddmm(
            SparseMatrix weight, DenseMatrix dy, DenseMatrix x, DenseMatrix dValues, boolean accumulate) {
        checkSparse(weight, dValues, "sddmm");
        own(dy, "sddmm dy");
        own(x, "sddmm x");
        Checks.shape(dy, dy.rows(), weight.rows(), "sddmm dy (batch, out)");
        Checks.shape(x, dy.rows(), weight.columns(), "sddmm x (batch, in)");
        distinct(dValues, dy, "sddmm: the output dValues must not be the input dy");
        distinct(dValues, x, "sddmm: the output dValues must not be the input x");
        sddmmImpl(weight, dy, x, dValues, accumulate);
    }

    @Override
    public final void sparseBackward(
            SparseMatrix weight,
            DenseMatrix values,
            DenseMatrix dy,
            DenseMatrix x,
            DenseMatrix dx,
            boolean accumulateDx,
            DenseMatrix dValues,
            boolean accumulateDValues) {
        checkSparse(weight, dValues, "sparseBackward");
        own(values, "sparseBackward values");
        Checks.shape(values, 1, weight.nnz(), "sparseBackward values (1, nnz)");
        own(dy, "sparseBackward dy");
        own(x, "sparseBackward x");
        Checks.shape(dy, dy.rows(), weight.rows(), "sparseBackward dy (batch, out)");
        Checks.shape(x, dy.rows(), weight.columns(), "sparseBackward x (batch, in)");
        distinct(dValues, dy, "sparseBackward: the output dValues must not be the input dy");
        distinct(dValues, x, "sparseBackward: the output dValues must not be the input x");
        distinct(dValues, values, "sparseBackward: the output dValues must not be the values");
        if (dx != null) {
            own(dx, "sparseBackward dx");
            Checks.shape(dx, dy.rows(), weight.columns(), "sparseBackward dx (batch, in)");
            distinct(dx, dy, "sparseBackward: the output dx must not be the input dy");
            distinct(dx, values, "sparseBackward: the output dx must not be the values");
            distinct(dx, dValues, "sparseBackward: the outputs dx and dValues must differ");
        }
        sparseBackwardImpl(weight, values, dy, x, dx, accumulateDx, dValues, accumulateDValues);
    }

    /**
     * Both gradients of a sparse layer, arguments checked; by default {@link #spmmTransposedImpl}
     * (when {@code dx} is not null) then {@link #sddmmImpl}. Override to fuse them.
     */
    protected void sparseBackwardImpl(
            SparseMatrix weight,
            DenseMatrix values,
            DenseMatrix dy,
            DenseMatrix x,
            DenseMatrix dx,
            boolean accumulateDx,
            DenseMatrix dValues,
            boolean accumulateDValues) {
        if (dx != null) {
            spmmTransposedImpl(weight, values, dy, dx, accumulateDx);
        }
        sddmmImpl(weight, dy, x, dValues, accumulateDValues);
    }

    // ---- bfloat16 inference -------------------------------------------------------------

    @Override
    public final Bf16Values toBf16(DenseMatrix values) {
        own(values, "toBf16 values");
        Checks.shape(values, 1, values.columns(), "toBf16 values (1, n)");
        return scopes.adopt(toBf16Impl(values));
    }

    @Override
    public final void spmmBf16(SparseMatrix weight, Bf16Values values, DenseMatrix x, DenseMatrix y) {
        own(weight, "spmmBf16 weight pattern");
        own(values, "spmmBf16 values");
        if (values.length() != weight.nnz()) {
            throw new IllegalArgumentException("spmmBf16 values: expected one per connection (" + weight.nnz()
                    + "), got " + values.length() + "; convert the pattern's own values with toBf16");
        }
        own(x, "spmmBf16 x");
        own(y, "spmmBf16 y");
        Checks.shape(x, x.rows(), weight.columns(), "spmmBf16 input x (batch, in)");
        Checks.shape(y, x.rows(), weight.rows(), "spmmBf16 output y (batch, out)");
        distinct(y, x, "spmmBf16: the output y must not be the input x");
        spmmBf16Impl(weight, values, x, y);
    }

    @Override
    public final void fromBf16(Bf16Values values, DenseMatrix target) {
        own(values, "fromBf16 values");
        own(target, "fromBf16 target");
        Checks.shape(target, 1, values.length(), "fromBf16 target (1, n)");
        fromBf16Impl(values, target);
    }

    /** Whether this backend's class overrides {@link #toBf16Impl} (and with it the other bfloat16 kernels). */
    @Override
    public final boolean storesBf16() {
        return HostFallbacks.overridesBf16Kernels(getClass());
    }

    /**
     * {@link #toBf16}, checked. The default keeps the values rounded to bfloat16 in a float32
     * matrix of this backend, for {@link #spmmBf16Impl}'s default; a backend overriding it
     * overrides the three bfloat16 kernels together.
     */
    protected Bf16Values toBf16Impl(DenseMatrix values) {
        DenseMatrix rounded = allocate(1, values.columns());
        uploadImpl(Bfloat16.round(downloadImpl(values)), rounded);
        return new Float32Bf16Values(rounded);
    }

    /** {@link #spmmBf16}, checked. The default runs {@link #spmmImpl} over the float32 form of {@link #toBf16Impl}. */
    protected void spmmBf16Impl(SparseMatrix weight, Bf16Values values, DenseMatrix x, DenseMatrix y) {
        spmmImpl(weight, float32Form(values), x, y);
    }

    /** {@link #fromBf16}, checked. The default copies the float32 form of {@link #toBf16Impl}. */
    protected void fromBf16Impl(Bf16Values values, DenseMatrix target) {
        copyImpl(float32Form(values), target);
    }

    private static DenseMatrix float32Form(Bf16Values values) {
        if (values instanceof Float32Bf16Values float32) {
            return float32.rounded();
        }
        throw new IllegalStateException(values + " was not made by AbstractBackend.toBf16Impl: a backend "
                + "overriding toBf16Impl must override spmmBf16Impl and fromBf16Impl too");
    }

    // ---- sparse input -------------------------------------------------------------------

    @Override
    public final void sparseInputDense(SparseMatrix x, DenseMatrix xValues, DenseMatrix weight, DenseMatrix y) {
        checkSparse(x, xValues, "sparseInputDense input");
        own(weight, "sparseInputDense weight");
        own(y, "sparseInputDense y");
        Checks.shape(weight, weight.rows(), x.columns(), "sparseInputDense weight (out, in)");
        Checks.shape(y, x.rows(), weight.rows(), "sparseInputDense output y (batch, out)");
        distinct(y, xValues, "sparseInputDense: the output y must not be the input values");
        distinct(y, weight, "sparseInputDense: the output y must not be the weight");
        sparseInputDenseImpl(x, xValues, weight, y);
    }

    @Override
    public final void sparseInputDenseWeightGradient(
            SparseMatrix x, DenseMatrix xValues, DenseMatrix dy, DenseMatrix dWeight, boolean accumulate) {
        checkSparse(x, xValues, "sparseInputDenseWeightGradient input");
        own(dy, "sparseInputDenseWeightGradient dy");
        own(dWeight, "sparseInputDenseWeightGradient dWeight");
        Checks.shape(dy, x.rows(), dy.columns(), "sparseInputDenseWeightGradient dy (batch, out)");
        Checks.shape(dWeight, dy.columns(), x.columns(), "sparseInputDenseWeightGradient dWeight (out, in)");
        distinct(dWeight, dy, "sparseInputDenseWeightGradient: the output dWeight must not be the input dy");
        distinct(dWeight, xValues, "sparseInputDenseWeightGradient: the output dWeight must not be the input values");
        sparseInputDenseWeightGradientImpl(x, xValues, dy, dWeight, accumulate);
    }

    @Override
    public final void sparseInputDenseInputGradient(
            SparseMatrix x, DenseMatrix dy, DenseMatrix weight, DenseMatrix dxValues, boolean accumulate) {
        checkSparse(x, dxValues, "sparseInputDenseInputGradient input");
        own(dy, "sparseInputDenseInputGradient dy");
        own(weight, "sparseInputDenseInputGradient weight");
        Checks.shape(weight, weight.rows(), x.columns(), "sparseInputDenseInputGradient weight (out, in)");
        Checks.shape(dy, x.rows(), weight.rows(), "sparseInputDenseInputGradient dy (batch, out)");
        distinct(dxValues, dy, "sparseInputDenseInputGradient: the output dxValues must not be the input dy");
        distinct(dxValues, weight, "sparseInputDenseInputGradient: the output dxValues must not be the weight");
        sparseInputDenseInputGradientImpl(x, dy, weight, dxValues, accumulate);
    }

    @Override
    public final void sparseInputSparse(
            SparseMatrix x, DenseMatrix xValues, SparseMatrix weight, DenseMatrix weightValues, DenseMatrix y) {
        checkSparse(x, xValues, "sparseInputSparse input");
        checkSparse(weight, weightValues, "sparseInputSparse weight");
        checkSameFeatures(x, weight, "sparseInputSparse");
        own(y, "sparseInputSparse y");
        Checks.shape(y, x.rows(), weight.rows(), "sparseInputSparse output y (batch, out)");
        distinct(y, xValues, "sparseInputSparse: the output y must not be the input values");
        distinct(y, weightValues, "sparseInputSparse: the output y must not be the weight values");
        sparseInputSparseImpl(x, xValues, weight, weightValues, y);
    }

    @Override
    public final void sparseInputSparseWeightGradient(
            SparseMatrix x,
            DenseMatrix xValues,
            SparseMatrix weight,
            DenseMatrix dy,
            DenseMatrix dWeightValues,
            boolean accumulate) {
        checkSparse(x, xValues, "sparseInputSparseWeightGradient input");
        checkSparse(weight, dWeightValues, "sparseInputSparseWeightGradient weight gradient");
        checkSameFeatures(x, weight, "sparseInputSparseWeightGradient");
        own(dy, "sparseInputSparseWeightGradient dy");
        Checks.shape(dy, x.rows(), weight.rows(), "sparseInputSparseWeightGradient dy (batch, out)");
        distinct(dWeightValues, dy, "sparseInputSparseWeightGradient: the output must not be the input dy");
        distinct(dWeightValues, xValues, "sparseInputSparseWeightGradient: the output must not be the input values");
        sparseInputSparseWeightGradientImpl(x, xValues, weight, dy, dWeightValues, accumulate);
    }

    @Override
    public final void sparseInputSparseInputGradient(
            SparseMatrix x,
            SparseMatrix weight,
            DenseMatrix weightValues,
            DenseMatrix dy,
            DenseMatrix dxValues,
            boolean accumulate) {
        checkSparse(x, dxValues, "sparseInputSparseInputGradient input gradient");
        checkSparse(weight, weightValues, "sparseInputSparseInputGradient weight");
        checkSameFeatures(x, weight, "sparseInputSparseInputGradient");
        own(dy, "sparseInputSparseInputGradient dy");
        Checks.shape(dy, x.rows(), weight.rows(), "sparseInputSparseInputGradient dy (batch, out)");
        distinct(dxValues, dy, "sparseInputSparseInputGradient: the output must not be the input dy");
        distinct(dxValues, weightValues, "sparseInputSparseInputGradient: the output must not be the weight values");
        sparseInputSparseInputGradientImpl(x, weight, weightValues, dy, dxValues, accumulate);
    }

    @Override
    public final void sparseInputTransposedSparse(
            SparseMatrix x, DenseMatrix xValues, SparseMatrix weightT, DenseMatrix weightTValues, DenseMatrix y) {
        String op = "sparseInputTransposedSparse";
        checkSparse(x, xValues, op + " input");
        checkSparse(weightT, weightTValues, op + " weight");
        checkFeaturesOfTransposed(x, weightT, op);
        own(y, op + " y");
        Checks.shape(y, x.rows(), weightT.columns(), op + " output y (batch, out)");
        distinct(y, xValues, op + ": the output y must not be the input values");
        distinct(y, weightTValues, op + ": the output y must not be the weight values");
        sparseInputTransposedSparseImpl(x, xValues, weightT, weightTValues, y);
    }

    @Override
    public final void sparseInputTransposedSparseWeightGradient(
            SparseMatrix x,
            DenseMatrix xValues,
            SparseMatrix weightT,
            DenseMatrix dy,
            DenseMatrix dWeightTValues,
            boolean accumulate) {
        String op = "sparseInputTransposedSparseWeightGradient";
        checkSparse(x, xValues, op + " input");
        checkSparse(weightT, dWeightTValues, op + " weight gradient");
        checkFeaturesOfTransposed(x, weightT, op);
        own(dy, op + " dy");
        Checks.shape(dy, x.rows(), weightT.columns(), op + " dy (batch, out)");
        distinct(dWeightTValues, dy, op + ": the output must not be the input dy");
        distinct(dWeightTValues, xValues, op + ": the output must not be the input values");
        sparseInputTransposedSparseWeightGradientImpl(x, xValues, weightT, dy, dWeightTValues, accumulate);
    }

    @Override
    public final void sparseInputTransposedSparseInputGradient(
            SparseMatrix x,
            SparseMatrix weightT,
            DenseMatrix weightTValues,
            DenseMatrix dy,
            DenseMatrix dxValues,
            boolean accumulate) {
        String op = "sparseInputTransposedSparseInputGradient";
        checkSparse(x, dxValues, op + " input gradient");
        checkSparse(weightT, weightTValues, op + " weight");
        checkFeaturesOfTransposed(x, weightT, op);
        own(dy, op + " dy");
        Checks.shape(dy, x.rows(), weightT.columns(), op + " dy (batch, out)");
        distinct(dxValues, dy, op + ": the output must not be the input dy");
        distinct(dxValues, weightTValues, op + ": the output must not be the weight values");
        sparseInputTransposedSparseInputGradientImpl(x, weightT, weightTValues, dy, dxValues, accumulate);
    }

    private static void checkFeaturesOfTransposed(SparseMatrix x, SparseMatrix weightT, String op) {
        if (x.columns() != weightT.rows()) {
            throw new IllegalArgumentException(op + ": the input has " + x.columns()
                    + " features but the input-major weight (in, out) has " + weightT.rows()
                    + " rows; they must match");
        }
    }

    private static void checkSameFeatures(SparseMatrix x, SparseMatrix weight, String op) {
        if (x.columns() != weight.columns()) {
            throw new IllegalArgumentException(op + ": the input has " + x.columns()
                    + " features but the weight (out, in) " + "has " + weight.columns() + " inputs; they must match");
        }
    }

    // ---- dense --------------------------------------------------------------------------

    @Override
    public final void gemm(
            DenseMatrix a, boolean transposeA, DenseMatrix b, boolean transposeB, DenseMatrix c, boolean accumulate) {
        own(a, "gemm a");
        own(b, "gemm b");
        own(c, "gemm c");
        int m = transposeA ? a.columns() : a.rows();
        int k = transposeA ? a.rows() : a.columns();
        int kb = transposeB ? b.columns() : b.rows();
        int n = transposeB ? b.rows() : b.columns();
        if (k != kb) {
            throw new IllegalArgumentException(
                    "gemm: inner dimensions differ: op(a) is (" + m + ", " + k + "), op(b) is (" + kb + ", " + n + ")");
        }
        Checks.shape(c, m, n, "gemm output c");
        distinct(c, a, "gemm: the output c must not be the input a");
        distinct(c, b, "gemm: the output c must not be the input b");
        gemmImpl(a, transposeA, b, transposeB, c, accumulate);
    }

    @Override
    public final void addRowVector(DenseMatrix y, DenseMatrix row) {
        own(y, "addRowVector y");
        own(row, "addRowVector row");
        Checks.shape(row, 1, y.columns(), "addRowVector row (bias)");
        addRowVectorImpl(y, row);
    }

    @Override
    public final void columnSums(DenseMatrix x, DenseMatrix sums, boolean accumulate) {
        own(x, "columnSums x");
        own(sums, "columnSums sums");
        Checks.shape(sums, 1, x.columns(), "columnSums output");
        columnSumsImpl(x, sums, accumulate);
    }

    @Override
    public final void activate(Activation function, DenseMatrix x, DenseMatrix y) {
        Objects.requireNonNull(function, "activate function");
        own(x, "activate x");
        own(y, "activate y");
        Checks.sameShape(x, y, "activate x and y");
        activateImpl(function, x, y);
    }

    @Override
    public final void activateBackward(
            Activation function, DenseMatrix x, DenseMatrix y, DenseMatrix dy, DenseMatrix dx, boolean accumulate) {
        Objects.requireNonNull(function, "activateBackward function");
        own(x, "activateBackward x");
        own(y, "activateBackward y");
        own(dy, "activateBackward dy");
        own(dx, "activateBackward dx");
        Checks.sameShape(x, y, "activateBackward x and y");
        Checks.sameShape(x, dy, "activateBackward x and dy");
        Checks.sameShape(x, dx, "activateBackward x and dx");
        activateBackwardImpl(function, x, y, dy, dx, accumulate);
    }

    @Override
    public final void layerNorm(
            DenseMatrix x,
            DenseMatrix gamma,
            DenseMatrix beta,
            float epsilon,
            DenseMatrix y,
            DenseMatrix mean,
            DenseMatrix rstd) {
        own(x, "layerNorm x");
        own(y, "layerNorm y");
        Objects.requireNonNull(beta, "layerNorm beta");
        checkLayerNormParameters(x, gamma, beta, mean, rstd);
        Checks.positiveFinite(epsilon, "layerNorm epsilon");
        Checks.sameShape(x, y, "layerNorm x and y");
        layerNormImpl(x, gamma, beta, epsilon, y, mean, rstd);
    }

    @Override
    public final void layerNormBackward(
            DenseMatrix x,
            DenseMatrix gamma,
            DenseMatrix mean,
            DenseMatrix rstd,
            DenseMatrix dy,
            DenseMatrix dx,
            DenseMatrix dGamma,
            DenseMatrix dBeta) {
        own(x, "layerNormBackward x");
        own(dy, "layerNormBackward dy");
        checkLayerNormParameters(x, gamma, null, mean, rstd);
        Checks.sameShape(x, dy, "layerNormBackward x and dy");
        if (dx != null) {
            own(dx, "layerNormBackward dx");
            Checks.sameShape(x, dx, "layerNormBackward x and dx");
        }
        if (dGamma != null) {
            own(dGamma, "layerNormBackward dGamma");
            Checks.shape(dGamma, 1, x.columns(), "layerNormBackward dGamma");
        }
        if (dBeta != null) {
            own(dBeta, "layerNormBackward dBeta");
            Checks.shape(dBeta, 1, x.columns(), "layerNormBackward dBeta");
        }
        layerNormBackwardImpl(x, gamma, mean, rstd, dy, dx, dGamma, dBeta);
    }

    @Override
    public final void softmaxCrossEntropy(
            DenseMatrix logits, int[] labels, DenseMatrix probabilities, DenseMatrix loss) {
        own(logits, "softmaxCrossEntropy logits");
        own(probabilities, "softmaxCrossEntropy probabilities");
        own(loss, "softmaxCrossEntropy loss");
        checkLabels(labels, logits);
        Checks.sameShape(logits, probabilities, "softmaxCrossEntropy logits and probabilities");
        Checks.shape(loss, 1, 1, "softmaxCrossEntropy loss");
        softmaxCrossEntropyImpl(logits, labels, probabilities, loss);
    }

    @Override
    public final void softmaxCrossEntropyBackward(
            DenseMatrix probabilities, int[] labels, DenseMatrix dLoss, DenseMatrix dLogits, boolean accumulate) {
        own(probabilities, "softmaxCrossEntropyBackward probabilities");
        own(dLoss, "softmaxCrossEntropyBackward dLoss");
        own(dLogits, "softmaxCrossEntropyBackward dLogits");
        checkLabels(labels, probabilities);
        Checks.shape(dLoss, 1, 1, "softmaxCrossEntropyBackward dLoss");
        Checks.sameShape(probabilities, dLogits, "softmaxCrossEntropyBackward probabilities and dLogits");
        softmaxCrossEntropyBackwardImpl(probabilities, labels, dLoss, dLogits, accumulate);
    }

    @Override
    public final void squaredError(DenseMatrix prediction, DenseMatrix target, float scale, DenseMatrix loss) {
        own(prediction, "squaredError prediction");
        own(target, "squaredError target");
        own(loss, "squaredError loss");
        Checks.sameShape(prediction, target, "squaredError prediction and target");
        Checks.shape(loss, 1, 1, "squaredError loss");
        squaredErrorImpl(prediction, target, scale, loss);
    }

    @Override
    public final void squaredErrorBackward(
            DenseMatrix prediction,
            DenseMatrix target,
            float scale,
            DenseMatrix dLoss,
            DenseMatrix dPrediction,
            boolean accumulate) {
        own(prediction, "squaredErrorBackward prediction");
        own(target, "squaredErrorBackward target");
        own(dLoss, "squaredErrorBackward dLoss");
        own(dPrediction, "squaredErrorBackward dPrediction");
        Checks.sameShape(prediction, target, "squaredErrorBackward prediction and target");
        Checks.sameShape(prediction, dPrediction, "squaredErrorBackward prediction and dPrediction");
        Checks.shape(dLoss, 1, 1, "squaredErrorBackward dLoss");
        squaredErrorBackwardImpl(prediction, target, scale, dLoss, dPrediction, accumulate);
    }

    @Override
    public final void axpy(float alpha, DenseMatrix x, DenseMatrix y) {
        own(x, "axpy x");
        own(y, "axpy y");
        Checks.sameShape(x, y, "axpy");
        axpyImpl(alpha, x, y);
    }

    @Override
    public final void scale(DenseMatrix x, float alpha) {
        own(x, "scale");
        scaleImpl(x, alpha);
    }

    @Override
    public final void dropout(DenseMatrix x, DenseMatrix y, long key, float p, boolean accumulate) {
        own(x, "dropout x");
        own(y, "dropout y");
        Checks.sameShape(x, y, "dropout");
        dropoutImpl(x, y, key, DropoutMask.threshold(p), DropoutMask.scale(p), accumulate);
    }

    @Override
    public final int[] argmaxRows(DenseMatrix matrix) {
        own(matrix, "argmaxRows");
        if (matrix.columns() == 0) {
            throw new IllegalArgumentException("argmaxRows needs at least one column, got " + matrix.shapeString());
        }
        return argmaxRowsImpl(matrix);
    }

    // ---- activation sparsity ------------------------------------------------------------

    @Override
    public final void kWinners(DenseMatrix x, DenseMatrix boost, int k, DenseMatrix y, DenseMatrix mask) {
        own(x, "kWinners x");
        own(boost, "kWinners boost");
        own(y, "kWinners y");
        own(mask, "kWinners mask");
        Checks.shape(boost, 1, x.columns(), "kWinners boost (1, features)");
        Checks.sameShape(x, y, "kWinners x and y");
        Checks.sameShape(x, mask, "kWinners x and mask");
        if (k < 0 || k > x.columns()) {
            throw new IllegalArgumentException("kWinners: k must be in [0, " + x.columns()
                    + "] (the features per row of x " + x.shapeString() + "), got " + k);
        }
        distinct(y, x, "kWinners: the output y must not be the input x");
        distinct(mask, x, "kWinners: the output mask must not be the input x");
        distinct(mask, y, "kWinners: the outputs y and mask must be different matrices");
        kWinnersImpl(x, boost, k, y, mask);
    }

    @Override
    public final void boostFactors(DenseMatrix dutyCycle, float density, float strength, DenseMatrix boost) {
        own(dutyCycle, "boostFactors dutyCycle");
        own(boost, "boostFactors boost");
        Checks.shape(dutyCycle, 1, dutyCycle.columns(), "boostFactors dutyCycle (1, features)");
        Checks.sameShape(dutyCycle, boost, "boostFactors dutyCycle and boost");
        if (!Float.isFinite(density) || !Float.isFinite(strength)) {
            throw new IllegalArgumentException("boostFactors: density and strength must be finite, got density "
                    + density + " and strength " + strength);
        }
        boostFactorsImpl(dutyCycle, density, strength, boost);
    }

    // ---- rewiring -----------------------------------------------------------------------

    @Override
    public final int[][] topKAbsDenseGradient(DenseMatrix dy, DenseMatrix x, SparseMatrix exclude, int k) {
        own(exclude, "topKAbsDenseGradient exclude pattern");
        own(dy, "topKAbsDenseGradient dy");
        own(x, "topKAbsDenseGradient x");
        Checks.shape(dy, dy.rows(), exclude.rows(), "topKAbsDenseGradient dy (batch, out)");
        Checks.shape(x, dy.rows(), exclude.columns(), "topKAbsDenseGradient x (batch, in)");
        Checks.nonNegative(k, "topKAbsDenseGradient k");
        return topKAbsDenseGradientImpl(dy, x, exclude, k);
    }

    @Override
    public final void gather(DenseMatrix source, int[] sourcePositions, DenseMatrix target) {
        own(source, "gather source");
        own(target, "gather target");
        Objects.requireNonNull(sourcePositions, "gather sourcePositions");
        Checks.shape(source, 1, source.columns(), "gather source (1, n)");
        Checks.shape(target, 1, sourcePositions.length, "gather target (1, sourcePositions.length)");
        distinct(target, source, "gather: the target must not be the source");
        int n = source.columns();
        for (int j = 0; j < sourcePositions.length; j++) {
            int from = sourcePositions[j];
            if (from < -1 || from >= n) {
                throw new IllegalArgumentException("gather: source position " + j + " is " + from
                        + ", expected -1 (a new element, set to 0) or an index in [0, " + n + ")");
            }
        }
        gatherImpl(source, sourcePositions, target);
    }

    // ---- optimizers ---------------------------------------------------------------------

    @Override
    public final void sgdStep(DenseMatrix parameter, DenseMatrix gradient, DenseMatrix velocity, SgdSettings settings) {
        own(parameter, "sgdStep parameter");
        own(gradient, "sgdStep gradient");
        Objects.requireNonNull(settings, "settings");
        Checks.sameShape(parameter, gradient, "sgdStep parameter and gradient");
        if (settings.momentum() > 0) {
            if (velocity == null) {
                throw new IllegalArgumentException(
                        "sgdStep: momentum " + settings.momentum() + " needs a velocity buffer, got null");
            }
            own(velocity, "sgdStep velocity");
            Checks.sameShape(parameter, velocity, "sgdStep parameter and velocity");
        }
        sgdStepImpl(parameter, gradient, settings.momentum() > 0 ? velocity : null, settings);
    }

    @Override
    public final void adamStep(
            DenseMatrix parameter,
            DenseMatrix gradient,
            DenseMatrix firstMoment,
            DenseMatrix secondMoment,
            AdamSettings settings,
            long step) {
        own(parameter, "adamStep parameter");
        own(gradient, "adamStep gradient");
        own(firstMoment, "adamStep first moment");
        own(secondMoment, "adamStep second moment");
        Objects.requireNonNull(settings, "settings");
        Checks.sameShape(parameter, gradient, "adamStep parameter and gradient");
        Checks.sameShape(parameter, firstMoment, "adamStep parameter and first moment");
        Checks.sameShape(parameter, secondMoment, "adamStep parameter and second moment");
        if (step < 1) {
            throw new IllegalArgumentException("adamStep: step counts from 1, got " + step);
        }
        adamStepImpl(parameter, gradient, firstMoment, secondMoment, settings, step);
    }

    @Override
    public final void adagradStep(
            DenseMatrix parameter, DenseMatrix gradient, DenseMatrix sum, AdagradSettings settings, long step) {
        own(parameter, "adagradStep parameter");
        own(gradient, "adagradStep gradient");
        own(sum, "adagradStep sum");
        Objects.requireNonNull(settings, "settings");
        Checks.sameShape(parameter, gradient, "adagradStep parameter and gradient");
        Checks.sameShape(parameter, sum, "adagradStep parameter and sum");
        if (step < 1) {
            throw new IllegalArgumentException("adagradStep: step counts from 1, got " + step);
        }
        adagradStepImpl(parameter, gradient, sum, settings, step);
    }

    // ---- checks -------------------------------------------------------------------------

    /** Fails once {@link #close()} was called: a closed backend allocates nothing and runs nothing. */
    private void requireOpen() {
        if (closed) {
            throw new IllegalStateException("backend '" + name() + "' was closed; get a new one from Backends.get()");
        }
    }

    /** Requires a non-null, open resource of this backend. */
    protected final void own(DeviceResource resource, String what) {
        requireOpen();
        Objects.requireNonNull(resource, what);
        if (resource.backend() != this) {
            throw new IllegalArgumentException(what + " belongs to backend '"
                    + resource.backend().name() + "', not to '" + name() + "'; move it with upload(download(m))");
        }
        Checks.open(resource, what);
    }

    private static void distinct(DenseMatrix output, DenseMatrix input, String message) {
        if (output == input) {
            throw new IllegalArgumentException(message + "; allocate a separate output");
        }
    }

    private void checkSparse(SparseMatrix weight, DenseMatrix values, String op) {
        own(weight, op + " weight pattern");
        own(values, op + " values");
        Checks.shape(values, 1, weight.nnz(), op + " values (1, nnz)");
    }

    private void checkLayerNormParameters(
            DenseMatrix x, DenseMatrix gamma, DenseMatrix beta, DenseMatrix mean, DenseMatrix rstd) {
        own(gamma, "layerNorm gamma");
        Checks.shape(gamma, 1, x.columns(), "layerNorm gamma");
        if (beta != null) {
            own(beta, "layerNorm beta");
            Checks.shape(beta, 1, x.columns(), "layerNorm beta");
        }
        own(mean, "layerNorm mean");
        own(rstd, "layerNorm rstd");
        Checks.shape(mean, 1, x.rows(), "layerNorm mean (1, rows)");
        Checks.shape(rstd, 1, x.rows(), "layerNorm rstd (1, rows)");
    }

    private static void checkLabels(int[] labels, DenseMatrix scores) {
        Objects.requireNonNull(labels, "labels");
        if (labels.length != scores.rows()) {
            throw new IllegalArgumentException(
                    "expected one label per row: " + scores.rows() + " rows, got " + labels.length + " labels");
        }
        for (int r = 0; r < labels.length; r++) {
            if (labels[r] < 0 || labels[r] >= scores.columns()) {
                throw new IllegalArgumentException("label " + r + " of the batch is " + labels[r]
                        + ", expected a class in [0, " + scores.columns() + "): the model's output has "
                        + scores.columns() + " columns, one score per class; give its last layer as many outputs "
                        + "as the data has classes");
            }
        }
    }
}
