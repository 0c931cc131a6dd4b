package org.sparselinear.backend.opencl;

import org.jocl.cl_mem;
import org.sparselinear.api.Backend;
import org.sparselinear.api.DenseMatrix;

/**
 * A dense matrix in one pooled device buffer, stored feature-major: element {@code (r, c)} at
 * {@code c * rows + r}, so that the batch of each feature is contiguous. Closing it returns the
 * buffer to the backend's pool.
 */
final class OpenClDenseMatrix implements DenseMatrix {

    private final OpenClBackend backend;
    private final int rows;
    private final int columns;
    private BufferPool.Lease<cl_mem> lease;

    OpenClDenseMatrix(OpenClBackend backend, int rows, int columns, BufferPool.Lease<cl_mem> lease) {
        this.backend = backend;
        this.rows = rows;
        this.columns = columns;
        this.lease = lease;
    }

    /** The device buffer; at least {@code size() * 4} bytes, never empty. */
    synchronized cl_mem buffer() {
        if (lease == null) {
            throw new IllegalStateException("OpenCL matrix " + shapeString() + " was closed");
        }
        backend.ensureOpen();
        return lease.buffer();
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
    public synchronized boolean isClosed() {
        return lease == null;
    }

    @Override
    public synchronized void close() {
        if (lease != null) {
            backend.pool().release(lease);
            lease = null;
        }
    }

    @Override
    public String toString() {
        return "OpenClDenseMatrix" + shapeString();
    }
}
