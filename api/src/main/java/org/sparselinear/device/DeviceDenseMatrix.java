package org.sparselinear.device;

import java.util.List;
import org.sparselinear.spi.AbstractDenseMatrix;

/**
 * A dense matrix of a {@link DeviceBackend} in one pooled device buffer, stored feature-major: element
 * {@code (r, c)} at {@code c * rows + r}, so that the batch of each feature is contiguous. Closing it returns the
 * buffer to the pool; if it becomes unreachable unclosed, the backend's cleaner does, and reports the leak.
 *
 * @param <B> the backend's buffer handle
 */
public final class DeviceDenseMatrix<B> extends AbstractDenseMatrix {

    private final DeviceBackend<B> backend;
    private final TrackedAllocation<B> allocation;

    DeviceDenseMatrix(DeviceBackend<B> backend, int rows, int columns, DeviceBufferPool.Lease<B> lease) {
        super(backend, rows, columns);
        this.backend = backend;
        this.allocation =
                new TrackedAllocation<>(this, backend, List.of(lease), "dense matrix (" + rows + ", " + columns + ")");
    }

    /** The device buffer: at least {@code size() * 4} bytes, never empty. */
    public B buffer() {
        requireOpen();
        backend.ensureOpen();
        return allocation.buffer(0);
    }

    @Override
    protected void release() {
        allocation.close();
    }
}
