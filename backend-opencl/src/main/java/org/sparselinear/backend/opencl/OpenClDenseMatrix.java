package org.sparselinear.backend.opencl;

import org.sparselinear.api.DeviceBufferPool;
import org.jocl.cl_mem;
import org.sparselinear.api.AbstractDenseMatrix;

/**
 * A dense matrix in one pooled device buffer, stored feature-major: element {@code (r, c)} at
 * {@code c * rows + r}, so that the batch of each feature is contiguous. Closing it returns the
 * buffer to the backend's pool.
 */
final class OpenClDenseMatrix extends AbstractDenseMatrix {

    private final OpenClBackend backend;
    private DeviceBufferPool.Lease<cl_mem> lease;

    OpenClDenseMatrix(OpenClBackend backend, int rows, int columns, DeviceBufferPool.Lease<cl_mem> lease) {
        super(backend, rows, columns);
        this.backend = backend;
        this.lease = lease;
    }

    /** The device buffer; at least {@code size() * 4} bytes, never empty. */
    synchronized cl_mem buffer() {
        requireOpen();
        backend.ensureOpen();
        return lease.buffer();
    }

    @Override
    protected void release() {
        backend.pool().release(lease);
        lease = null;
    }
}
