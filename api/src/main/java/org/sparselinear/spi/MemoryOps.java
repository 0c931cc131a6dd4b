package org.sparselinear.spi;

import org.sparselinear.api.Connectivity;
import org.sparselinear.api.DenseMatrix;
import org.sparselinear.api.MemoryScope;
import org.sparselinear.api.SparseMatrix;

/**
 * Memory and patterns: the operations that create, move and free a backend's matrices and
 * sparsity patterns. Every other family works on what these create.
 *
 * <p>Contract: a matrix is {@code (rows, columns)}, read and written in row-major order
 * whatever the device's own layout; {@link #upload} then {@link #download} gives back the same
 * floats bit for bit; {@link #zeros} is all {@code +0.0f}. A matrix or pattern belongs to the
 * backend that made it and to the innermost {@link MemoryScope} open on the calling thread,
 * which frees it when it closes. Required: every backend implements the whole family.
 */
public interface MemoryOps {

    /** Opens a memory scope on the calling thread; see {@link MemoryScope}. */
    MemoryScope newScope();

    /** A new matrix of zeros. */
    DenseMatrix zeros(int rows, int columns);

    /** A new matrix holding {@code rowMajor} (element (r, c) at {@code r * columns + c}). */
    DenseMatrix upload(float[] rowMajor, int rows, int columns);

    /** The matrix's elements in row-major order. */
    float[] download(DenseMatrix matrix);

    /** Copies {@code source} into {@code target} (same shape). */
    void copy(DenseMatrix source, DenseMatrix target);

    /**
     * Copies {@code count} columns of {@code source}, from column {@code sourceColumn}, into
     * {@code target} from column {@code targetColumn}, bit for bit; both have the same number of
     * rows, and the other columns of {@code target} keep their values. Concatenating features
     * (a column block per input) and splitting the gradient back run on it. With the
     * feature-major layout a block of columns is one contiguous range, a device-side copy.
     */
    void copyColumns(DenseMatrix source, int sourceColumn, DenseMatrix target, int targetColumn, int count);

    /** Sets every element of {@code matrix} to {@code value}. */
    void fill(DenseMatrix matrix, float value);

    /** The pattern on this device, with its transpose map. */
    SparseMatrix pattern(Connectivity connectivity);

    /**
     * Bytes {@link #pattern} takes on this device for a pattern of this shape; by default the
     * layout docs/ARCHITECTURE.md describes (section "Sparse patterns: CSR and the transpose map"):
     * row and column pointers plus, per connection, column indices, the transpose map's row indices
     * and value positions.
     */
    default long patternBytes(int rows, int columns, long nnz) {
        return 4L * (rows + 1L) + 4L * (columns + 1L) + 12L * nnz;
    }

    /**
     * Bytes that new allocations can still take now: free device memory, or for a backend whose
     * memory is the Java heap, what the heap can still grow into. {@link Long#MAX_VALUE} when the
     * backend cannot tell (the default).
     */
    default long availableBytes() {
        return Long.MAX_VALUE;
    }

    /** Whether this backend's memory is the Java heap, so that host and device needs add up. */
    default boolean usesHostMemory() {
        return false;
    }
}
