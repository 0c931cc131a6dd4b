package org.sparselinear.backend.cuda;

import org.sparselinear.api.DeviceBufferPool;
import org.sparselinear.api.AbstractDenseMatrix;

/**
 * A dense matrix in one pooled device buffer, feature-major: element {@code (r, c)} at {@code c * rows + r}, so
 * the batch of each feature is contiguous. Closing it returns the buffer to the backend's pool.
 */
final class CudaDenseMatrix extends AbstractDenseMatrix {

    private final CudaBackend backend;
    private DeviceBufferPool.Lease<Long> lease;

    CudaDenseMatrix(CudaBackend backend, int rows, int columns, DeviceBufferPool.Lease<Long> lease) {
        super(backend, rows, columns);
        this.backend = backend;
        this.lease = lease;
    }

    /** The device address of element (0, 0); the buffer holds at least {@code size()} floats and never 0 bytes. */
    synchronized long address() {
        requireOpen();
        return lease.buffer();
    }

    @Override
    protected void release() {
        backend.pool().release(lease);
        lease = null;
    }
}
