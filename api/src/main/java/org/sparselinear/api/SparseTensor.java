package org.sparselinear.api;

import java.util.Arrays;
import java.util.Objects;
import org.sparselinear.spi.SparseInputProducts;

/**
 * A batch of sparse input rows (bag-of-words counts, one-hot codes, TF-IDF weights) as a leaf of
 * the autograd graph, never densified: a pattern of shape {@code (batch, features)} with the
 * positions present in each row, and a {@code (1, nnz)} vector of their values in the pattern's
 * order (the convention of a sparse weight, see {@link SparseInputProducts}).
 *
 * <p>It is the input of a model's first layer: {@code Linear} and {@code SparseLinear} take it
 * and compute with its stored entries only. Any other layer reading it through {@link #value()}
 * fails with a message that says so. When it requires a gradient, backward accumulates into a
 * {@code (1, nnz)} {@link #grad()}: the gradient of each stored value.
 *
 * <p>Rows are CSR, sorted and duplicate-free: {@link #upload} checks this through
 * {@link Connectivity#fromCsr} and names the offending row and entry.
 */
public final class SparseTensor extends Tensor {

    private final SparseMatrix pattern;
    private final DenseMatrix values;

    private SparseTensor(SparseMatrix pattern, DenseMatrix values, boolean requiresGrad) {
        super(values, new int[] {pattern.rows(), pattern.columns()}, requiresGrad);
        this.pattern = pattern;
        this.values = values;
    }

    /**
     * A sparse batch from a pattern and its values on the same backend.
     *
     * @param pattern the positions, shape {@code (batch, features)}
     * @param values {@code (1, pattern.nnz())} values in the pattern's order
     * @param requiresGrad whether backward computes the gradient of the values
     */
    public static SparseTensor of(SparseMatrix pattern, DenseMatrix values, boolean requiresGrad) {
        Objects.requireNonNull(pattern, "SparseTensor: pattern");
        Objects.requireNonNull(values, "SparseTensor: values");
        if (values.backend() != pattern.backend()) {
            throw new IllegalArgumentException("SparseTensor: the values are on backend '"
                    + values.backend().name() + "' but the pattern is on '"
                    + pattern.backend().name() + "'; upload both to one backend");
        }
        if (values.rows() != 1 || values.columns() != pattern.nnz()) {
            throw new IllegalArgumentException("SparseTensor: expected values of shape (1, " + pattern.nnz()
                    + "), one per stored position of the pattern, got " + values.shapeString());
        }
        return new SparseTensor(pattern, values, requiresGrad);
    }

    /**
     * Uploads a sparse batch given as CSR arrays to {@code backend}, in the current memory scope;
     * it needs no gradient.
     *
     * @param rows the positions: one row per sample, sorted, without duplicates
     * @param values one value per stored position, in the pattern's order
     */
    public static SparseTensor upload(Backend backend, Connectivity rows, float[] values) {
        Objects.requireNonNull(backend, "SparseTensor.upload: backend");
        Objects.requireNonNull(rows, "SparseTensor.upload: rows");
        Objects.requireNonNull(values, "SparseTensor.upload: values");
        if (values.length != rows.nnz()) {
            throw new IllegalArgumentException("SparseTensor.upload: " + rows.nnz()
                    + " stored positions need as many values, got " + values.length);
        }
        return new SparseTensor(backend.pattern(rows), backend.upload(values, 1, values.length), false);
    }

    /**
     * Uploads a sparse batch from CSR arrays, checking that every row is sorted, duplicate-free
     * and within {@code [0, features)}.
     *
     * @param rowPointers {@code batch + 1} offsets into {@code columnIndices}
     * @param columnIndices the 0-based feature of each stored value, ascending within a row
     * @param values the stored values
     * @throws IllegalArgumentException naming the row and entry that break the rules
     */
    public static SparseTensor upload(
            Backend backend, int batch, int features, int[] rowPointers, int[] columnIndices, float[] values) {
        return upload(backend, Connectivity.fromCsr(batch, features, rowPointers, columnIndices), values);
    }

    /** The positions, shape {@code (batch, features)}. */
    public SparseMatrix pattern() {
        return pattern;
    }

    /** The {@code (1, nnz)} stored values, in the pattern's order. */
    public DenseMatrix values() {
        return values;
    }

    /** Number of stored values. */
    public int nnz() {
        return pattern.nnz();
    }

    /**
     * Always throws: a sparse batch has no dense data. Only layers that take sparse input (a
     * model's first {@code Linear} or {@code SparseLinear}) can read it.
     */
    @Override
    public DenseMatrix value() {
        throw new IllegalStateException("this input is a sparse batch " + Arrays.toString(shape())
                + " with " + nnz() + " stored values and no dense data; only Linear and SparseLinear take sparse "
                + "input, so make one of them the model's first layer");
    }

    /** Number of features. */
    @Override
    public int columns() {
        return pattern.columns();
    }

    /** This tensor when {@code newShape} is its shape; a sparse batch cannot be reshaped otherwise. */
    @Override
    public Tensor reshape(int... newShape) {
        if (Arrays.equals(newShape, shape())) {
            return this;
        }
        throw new IllegalArgumentException("a sparse batch " + Arrays.toString(shape()) + " cannot be reshaped to "
                + Arrays.toString(newShape) + "; it is already (batch, features)");
    }

    @Override
    public String toString() {
        return "SparseTensor(shape=" + Arrays.toString(shape()) + ", nnz=" + nnz() + ", backend="
                + backend().name() + (requiresGrad() ? ", requiresGrad" : "") + ")";
    }
}
