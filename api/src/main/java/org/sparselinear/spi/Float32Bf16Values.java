package org.sparselinear.spi;

import org.sparselinear.api.Backend;
import org.sparselinear.api.Bf16Values;
import org.sparselinear.api.DenseMatrix;

/**
 * The default {@link Bf16Values} of {@link AbstractBackend}: the values rounded to bfloat16 but
 * kept in a float32 matrix of the backend, so that {@code spmm} multiplies them. Closing it
 * closes the matrix.
 */
final class Float32Bf16Values implements Bf16Values {

    private final DenseMatrix rounded;

    Float32Bf16Values(DenseMatrix rounded) {
        this.rounded = rounded;
    }

    /** The rounded values, {@code (1, n)} float32. */
    DenseMatrix rounded() {
        return rounded;
    }

    @Override
    public int length() {
        return rounded.columns();
    }

    @Override
    public int bitsPerValue() {
        return 32;
    }

    @Override
    public Backend backend() {
        return rounded.backend();
    }

    @Override
    public boolean isClosed() {
        return rounded.isClosed();
    }

    @Override
    public void close() {
        rounded.close();
    }

    @Override
    public String toString() {
        return "Float32Bf16Values(" + length() + ", bfloat16-rounded in float32)";
    }
}
