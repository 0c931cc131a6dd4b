package org.sparselinear.device;

import java.util.List;
import org.sparselinear.api.Connectivity;
import org.sparselinear.spi.AbstractSparseMatrix;

/**
 * A pattern of a {@link DeviceBackend}: the int32 arrays of {@link DevicePatternArrays} (CSR, the row of every
 * entry, the CSC transpose map; 16 bytes per connection), each in a pooled device buffer. The values are not
 * here: they are a {@code (1, nnz)} dense matrix in CSR order. Closing it returns the buffers to the pool; if it
 * becomes unreachable unclosed, the backend's cleaner does, and reports the leak.
 *
 * @param <B> the backend's buffer handle
 */
public final class DevicePattern<B> extends AbstractSparseMatrix {

    private final DeviceBackend<B> backend;
    private final TrackedAllocation<B> allocation;

    DevicePattern(DeviceBackend<B> backend, Connectivity connectivity, List<DeviceBufferPool.Lease<B>> leases) {
        super(backend, connectivity);
        this.backend = backend;
        this.allocation = new TrackedAllocation<>(
                this,
                backend,
                leases,
                "pattern " + connectivity.rows() + " x " + connectivity.columns() + " with nnz " + connectivity.nnz());
    }

    /** One of the device arrays, by {@link DevicePatternArrays} index. */
    public B buffer(int which) {
        requireOpen();
        backend.ensureOpen();
        return allocation.buffer(which);
    }

    @Override
    protected void release() {
        allocation.close();
    }
}
