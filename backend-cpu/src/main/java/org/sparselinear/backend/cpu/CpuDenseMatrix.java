package org.sparselinear.backend.cpu;

import org.sparselinear.spi.AbstractDenseMatrix;

/**
 * A dense matrix in a Java {@code float[]}, stored feature-major: element {@code (r, c)} at
 * {@code c * rows + r}, so that each feature's values over the batch are contiguous. Closing it
 * drops the array for the garbage collector.
 *
 * <p>It knows where its non-zeros can be ({@link NonZeroRanges}) from the few kernels that say so (a new
 * matrix has none, clearing leaves none, and the sparse-input weight gradients add the ranges they
 * write), and forgets it (everywhere) the moment its array goes to any other kernel through {@link #data()}, which
 * may write anything into it.
 */
final class CpuDenseMatrix extends AbstractDenseMatrix {

    private float[] data;
    /** Where the array may hold non-zeros; null when that is not known. */
    private NonZeroRanges nonZero = NonZeroRanges.NONE;

    CpuDenseMatrix(CpuBackend backend, int rows, int columns) {
        super(backend, rows, columns);
        this.data = new float[rows * columns];
    }

    /** The storage, feature-major, for any kernel: from now on non-zeros may be anywhere. */
    float[] data() {
        nonZero = null;
        return dataKeepingNonZeros();
    }

    /**
     * The storage, for a kernel that keeps {@link #nonZeros()} true: one that only reads it, or that writes
     * and then says where with {@link #nonZeros(NonZeroRanges)}.
     */
    float[] dataKeepingNonZeros() {
        float[] current = data;
        if (current == null) {
            requireOpen();
        }
        return current;
    }

    /** Where the array may hold non-zeros (every other element is zero), or null when anywhere. */
    NonZeroRanges nonZeros() {
        return nonZero;
    }

    /** Records where the array may now hold non-zeros; null for anywhere. */
    void nonZeros(NonZeroRanges where) {
        nonZero = where;
    }

    @Override
    protected void release() {
        data = null;
    }
}
