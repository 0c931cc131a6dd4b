package org.sparselinear.data;

import java.util.Arrays;
import java.util.Objects;
import org.sparselinear.api.Backend;
import org.sparselinear.api.Connectivity;
import org.sparselinear.api.SparseTensor;
import org.sparselinear.api.Tensor;
import org.sparselinear.spi.Checks;

/**
 * A mini-batch on the host: {@code size} samples and their targets. Features are dense (row-major
 * values of shape {@code (size, sampleShape...)}) or sparse (CSR: row pointers, column indices and
 * values, one row per sample), and upload to a backend as a dense {@link Tensor} or a
 * {@link SparseTensor}, never densified. Targets are class labels, or float vectors of
 * {@link #targetWidth()} values (regression). Immutable: arrays are copied in and out.
 */
public final class Batch {

    private final int size;
    private final int[] sampleShape;
    private final float[] dense;
    private final Connectivity rows;
    private final float[] values;
    private final int[] labels;
    private final float[] targets;
    private final int targetWidth;

    /**
     * A dense batch with class labels; the arrays are copied.
     *
     * @param features {@code size * product(sampleShape)} values, sample after sample
     * @param labels one class per sample
     * @param size the number of samples, positive
     * @param sampleShape the shape of one sample, e.g. {@code {1, 28, 28}}
     */
    public Batch(float[] features, int[] labels, int size, int[] sampleShape) {
        this(
                size,
                checkDense(features, size, sampleShape),
                features.clone(),
                null,
                null,
                checkLabels(labels, size),
                null);
    }

    /** Takes ownership of arrays that agree with each other; exactly one of labels and targets is given. */
    private Batch(
            int size,
            int[] sampleShape,
            float[] dense,
            Connectivity rows,
            float[] values,
            int[] labels,
            float[] targets) {
        this.size = size;
        this.sampleShape = sampleShape;
        this.dense = dense;
        this.rows = rows;
        this.values = values;
        this.labels = labels;
        this.targets = targets;
        this.targetWidth = targets == null ? 1 : targets.length / size;
    }

    /**
     * A dense batch with target vectors (regression); the arrays are copied.
     *
     * @param targets {@code size * targetWidth} values, sample after sample
     */
    public static Batch dense(float[] features, float[] targets, int size, int[] sampleShape) {
        int[] shape = checkDense(features, size, sampleShape);
        return new Batch(size, shape, features.clone(), null, null, null, checkTargets(targets, size));
    }

    /**
     * A sparse batch with class labels; the arrays are copied.
     *
     * @param featureCount the width of a sample
     * @param rowPointers {@code size + 1} offsets into {@code columnIndices}, one row per sample
     * @param columnIndices the 0-based feature of each stored value, ascending within a row
     * @param values the stored values
     * @param labels one class per sample
     * @throws IllegalArgumentException naming the row and entry when the CSR arrays are inconsistent,
     *     unsorted or out of range
     */
    public static Batch sparse(int featureCount, int[] rowPointers, int[] columnIndices, float[] values, int[] labels) {
        Connectivity rows = checkSparse(featureCount, rowPointers, columnIndices, values);
        return new Batch(
                rows.rows(),
                new int[] {featureCount},
                null,
                rows,
                values.clone(),
                checkLabels(labels, rows.rows()),
                null);
    }

    /**
     * A sparse batch (see {@link #sparse(int, int[], int[], float[], int[])}) with target vectors:
     * {@code size * targetWidth} values, sample after sample.
     */
    public static Batch sparse(
            int featureCount, int[] rowPointers, int[] columnIndices, float[] values, float[] targets) {
        Connectivity rows = checkSparse(featureCount, rowPointers, columnIndices, values);
        return new Batch(
                rows.rows(),
                new int[] {featureCount},
                null,
                rows,
                values.clone(),
                null,
                checkTargets(targets, rows.rows()));
    }

    /**
     * A batch a loader assembled from checked samples: takes ownership of the arrays and trusts the
     * CSR arrays of a sparse batch ({@code dense == null}) to be valid.
     */
    static Batch assembled(
            int size,
            int[] sampleShape,
            float[] dense,
            int[] rowPointers,
            int[] columnIndices,
            float[] values,
            int[] labels,
            float[] targets) {
        Connectivity rows =
                dense == null ? Connectivity.ofTrustedCsr(size, sampleShape[0], rowPointers, columnIndices) : null;
        return new Batch(size, sampleShape, dense, rows, values, labels, targets);
    }

    private static int[] checkDense(float[] features, int size, int[] sampleShape) {
        Objects.requireNonNull(features, "features");
        Objects.requireNonNull(sampleShape, "sampleShape");
        Checks.positive(size, "batch size");
        long perSample = 1;
        for (int d = 0; d < sampleShape.length; d++) {
            perSample *= Checks.positive(sampleShape[d], "sampleShape dimension " + d);
        }
        if (perSample * size != features.length) {
            throw new IllegalArgumentException("a batch of " + size + " samples of shape "
                    + Arrays.toString(sampleShape) + " needs " + perSample * size + " feature values, got "
                    + features.length);
        }
        return sampleShape.clone();
    }

    private static Connectivity checkSparse(int featureCount, int[] rowPointers, int[] columnIndices, float[] values) {
        Objects.requireNonNull(rowPointers, "rowPointers");
        Objects.requireNonNull(columnIndices, "columnIndices");
        Objects.requireNonNull(values, "values");
        if (columnIndices.length != values.length) {
            throw new IllegalArgumentException("a sparse batch needs one value per column index, got "
                    + columnIndices.length + " column indices and " + values.length + " values");
        }
        Checks.positive(rowPointers.length - 1, "batch size (row pointers - 1)");
        return Connectivity.fromCsr(rowPointers.length - 1, featureCount, rowPointers, columnIndices);
    }

    private static int[] checkLabels(int[] labels, int size) {
        Objects.requireNonNull(labels, "labels");
        if (labels.length != size) {
            throw new IllegalArgumentException(
                    "a batch of " + size + " samples needs " + size + " labels, got " + labels.length);
        }
        return labels.clone();
    }

    private static float[] checkTargets(float[] targets, int size) {
        Objects.requireNonNull(targets, "targets");
        if (targets.length == 0 || targets.length % size != 0) {
            throw new IllegalArgumentException("a batch of " + size + " samples needs " + size
                    + " target vectors of equal positive length, one after the other; got " + targets.length
                    + " values");
        }
        return targets.clone();
    }

    /** The number of samples. */
    public int size() {
        return size;
    }

    /** A copy of the shape of one sample ({@code {featureCount}} for sparse batches). */
    public int[] sampleShape() {
        return sampleShape.clone();
    }

    /** Whether the features are sparse rows ({@link #rowPointers()}, {@link #columnIndices()}, {@link #values()}). */
    public boolean isSparse() {
        return rows != null;
    }

    /**
     * A copy of the dense features, row-major.
     *
     * @throws IllegalStateException for a sparse batch, which is never densified
     */
    public float[] features() {
        if (dense == null) {
            throw new IllegalStateException("this batch is sparse (" + nnz() + " stored values in " + size
                    + " rows) and is never densified; use features(backend), or rowPointers(), columnIndices() and "
                    + "values()");
        }
        return dense.clone();
    }

    /** A copy of the {@code size + 1} CSR row pointers of a sparse batch. */
    public int[] rowPointers() {
        return sparseRows().rowPointers();
    }

    /** A copy of the CSR column indices (0-based features) of a sparse batch. */
    public int[] columnIndices() {
        return sparseRows().columnIndices();
    }

    /** A copy of the stored values of a sparse batch, in CSR order. */
    public float[] values() {
        sparseRows();
        return values.clone();
    }

    /** The number of stored feature values: {@code size * product(sampleShape)} when dense. */
    public int nnz() {
        return dense == null ? values.length : dense.length;
    }

    private Connectivity sparseRows() {
        if (rows == null) {
            throw new IllegalStateException("this batch is dense (shape " + Arrays.toString(sampleShape)
                    + " per sample) and has no CSR arrays; use features(), or check isSparse()");
        }
        return rows;
    }

    /** Whether the targets are class labels ({@link #labels()}) rather than vectors ({@link #targets()}). */
    public boolean hasLabels() {
        return labels != null;
    }

    /**
     * A copy of the class labels.
     *
     * @throws IllegalStateException when the targets are float vectors; use targets() or targets(backend)
     */
    public int[] labels() {
        if (labels == null) {
            throw new IllegalStateException("this batch has target vectors of " + targetWidth
                    + " values (regression), not class labels; use targets() or targets(backend)");
        }
        return labels.clone();
    }

    /**
     * A copy of the target vectors, {@code size * targetWidth} values sample after sample.
     *
     * @throws IllegalStateException when the targets are class labels; use labels()
     */
    public float[] targets() {
        if (targets == null) {
            throw new IllegalStateException("this batch has class labels, not target vectors; use labels()");
        }
        return targets.clone();
    }

    /** The length of one target vector; 1 with class labels. */
    public int targetWidth() {
        return targetWidth;
    }

    /**
     * The features uploaded to {@code backend} in the current memory scope: a constant tensor of
     * shape {@code (size, sampleShape...)}, stored as a {@code (size, product(sampleShape))} matrix,
     * for a dense batch; a {@link SparseTensor} of shape {@code (size, featureCount)} for a sparse
     * one.
     */
    public Tensor features(Backend backend) {
        Objects.requireNonNull(backend, "backend");
        if (rows != null) {
            return SparseTensor.upload(backend, rows, values);
        }
        int[] shape = new int[sampleShape.length + 1];
        shape[0] = size;
        System.arraycopy(sampleShape, 0, shape, 1, sampleShape.length);
        return Tensor.constant(backend.upload(dense, size, dense.length / size), shape);
    }

    /**
     * The target vectors uploaded to {@code backend} as a constant {@code (size, targetWidth)}
     * tensor in the current memory scope.
     *
     * @throws IllegalStateException when the targets are class labels; use labels()
     */
    public Tensor targets(Backend backend) {
        Objects.requireNonNull(backend, "backend");
        if (targets == null) {
            throw new IllegalStateException("this batch has class labels, not target vectors; use labels()");
        }
        return Tensor.constant(backend.upload(targets, size, targetWidth));
    }

    @Override
    public boolean equals(Object other) {
        return other instanceof Batch that
                && size == that.size
                && Arrays.equals(sampleShape, that.sampleShape)
                && Arrays.equals(dense, that.dense)
                && Objects.equals(rows, that.rows)
                && Arrays.equals(values, that.values)
                && Arrays.equals(labels, that.labels)
                && Arrays.equals(targets, that.targets);
    }

    @Override
    public int hashCode() {
        return Objects.hash(
                size,
                Arrays.hashCode(sampleShape),
                Arrays.hashCode(dense),
                rows,
                Arrays.hashCode(values),
                Arrays.hashCode(labels),
                Arrays.hashCode(targets));
    }

    @Override
    public String toString() {
        return "Batch(size=" + size + ", sampleShape=" + Arrays.toString(sampleShape)
                + (rows != null ? ", sparse, nnz=" + values.length : "")
                + (labels == null ? ", targetWidth=" + targetWidth : "") + ")";
    }
}
