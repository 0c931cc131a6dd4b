package org.sparselinear.tck.naive;

import org.sparselinear.api.Backend;
import org.sparselinear.api.DenseMatrix;

/**
 * A dense matrix of {@link NaiveBackend}: a float array stored feature-major, element
 * {@code (r, c)} at {@code c * rows + r}, the layout the design asks every backend to use.
 */
final class NaiveMatrix implements DenseMatrix {

    private final NaiveBackend backend;
    private final int rows;
    private final int columns;
    private float[] data;

    NaiveMatrix(NaiveBackend backend, int rows, int columns) {
        this.backend = backend;
        this.rows = rows;
        this.columns = columns;
        this.data = new float[rows * columns];
    }

    /** The storage, feature-major. */
    float[] data() {
        return data;
    }

    float get(int row, int column) {
        return data[column * rows + row];
    }

    void set(int row, int column, float value) {
        data[column * rows + row] = value;
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
}
