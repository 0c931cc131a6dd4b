package org.sparselinear.backend.cpu;

import org.sparselinear.spi.AbstractDenseMatrix;

/**
 * A dense matrix in a Java {@code float[]}, stored feature-major: element {@code (r, c)} at
 * {@code c * rows + r}, so that each feature's values over the batch are contiguous. Closing it
 * drops the array for the garbage collector.
 */
final class CpuDenseMatrix extends AbstractDenseMatrix {

    private float[] data;

    CpuDenseMatrix(CpuBackend backend, int rows, int columns) {
        super(backend, rows, columns);
        this.data = new float[rows * columns];
    }

    /** The storage, feature-major. */
    float[] data() {
        float[] current = data;
        if (current == null) {
            requireOpen();
        }
        return current;
    }

    @Override
    protected void release() {
        data = null;
    }
}
