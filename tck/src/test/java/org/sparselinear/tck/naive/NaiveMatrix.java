package org.sparselinear.tck.naive;

import org.sparselinear.spi.AbstractDenseMatrix;

/**
 * A dense matrix of {@link NaiveBackend}: a float array stored feature-major, element
 * {@code (r, c)} at {@code c * rows + r}, the layout docs/ARCHITECTURE.md asks every backend to use.
 */
final class NaiveMatrix extends AbstractDenseMatrix {

    private float[] data;

    NaiveMatrix(NaiveBackend backend, int rows, int columns) {
        super(backend, rows, columns);
        this.data = new float[rows * columns];
    }

    /** The storage, feature-major. */
    float[] data() {
        return data;
    }

    float get(int row, int column) {
        return data[column * rows() + row];
    }

    void set(int row, int column, float value) {
        data[column * rows() + row] = value;
    }

    @Override
    protected void release() {
        data = null;
    }
}
