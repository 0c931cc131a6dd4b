package org.sparselinear.backend.cpu;

import org.sparselinear.api.Backend;
import org.sparselinear.api.DenseMatrix;

/**
 * A dense matrix in a Java {@code float[]}, stored feature-major: element {@code (r, c)} at
 * {@code c * rows + r}, so that each feature's values over the batch are contiguous.
 */
final class CpuDenseMatrix implements DenseMatrix {

    private final CpuBackend backend;
    private final int rows;
    private final int columns;
    private float[] data;

    CpuDenseMatrix(CpuBackend backend, int rows, int columns) {
        this.backend = backend;
        this.rows = rows;
        this.columns = columns;
        this.data = new float[rows * columns];
    }

    /** The storage, feature-major. */
    float[] data() {
        if (data == null) {
            throw new IllegalStateException("matrix " + shapeString() + " was closed");
        }
        return data;
    }

    @Override
    public int rows() {
        return rows;
    }

    @Override
    public int columns() {
        return columns;
    }

    @Override
    public Backend backend() {
        return backend;
    }

    @Override
    public boolean isClosed() {
        return data == null;
    }

    @Override
    public void close() {
        data = null;
    }

    @Override
    public String toString() {
        return "CpuDenseMatrix" + shapeString();
    }
}
