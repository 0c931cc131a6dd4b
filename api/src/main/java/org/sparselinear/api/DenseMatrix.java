package org.sparselinear.api;

/**
 * A dense float32 matrix on a backend's device, with the logical shape {@code (rows, columns)}:
 * for activations that is {@code (batch, features)}, like PyTorch's {@code (N, H)}; a vector
 * (bias, the values of a sparse weight, a loss) is a matrix with one row. A matrix may have zero columns (the values of
 * a pattern with no connections), never zero rows.
 *
 * <p>The physical layout is the backend's choice (every shipped backend stores it
 * feature-major, element {@code (r, c)} at {@code c * rows + r}). Data crosses the boundary
 * only through {@link Backend#upload} and {@link Backend#download}, always in row-major
 * logical order.
 */
public interface DenseMatrix extends DeviceResource {

    /** Number of rows: the batch size for activations, 1 for vectors. */
    int rows();

    /** Number of columns: the number of features, or the length of a vector. */
    int columns();

    /** Number of elements, {@code rows * columns}. */
    default long size() {
        return (long) rows() * columns();
    }

    /** {@code "(rows, columns)"}, as used in error messages. */
    default String shapeString() {
        return "(" + rows() + ", " + columns() + ")";
    }

    /**
     * Overwrites this matrix with {@code rowMajor} (element (r, c) at {@code r * columns + c}), through a temporary
     * upload freed before this returns.
     *
     * @throws IllegalArgumentException when {@code rowMajor} does not hold exactly {@link #size()} values
     */
    default void copyFrom(float[] rowMajor) {
        if (rowMajor.length != size()) {
            throw new IllegalArgumentException(
                    "expected " + size() + " values for a " + shapeString() + " matrix, got " + rowMajor.length);
        }
        Backend backend = backend();
        try (MemoryScope scope = backend.newScope()) {
            backend.copy(backend.upload(rowMajor, rows(), columns()), this);
        }
    }
}
