package org.sparselinear.backend.cuda;

import org.sparselinear.api.DeviceBufferPool;
import java.util.List;
import org.sparselinear.api.AbstractSparseMatrix;
import org.sparselinear.api.Connectivity;

/**
 * A pattern on the device, in the forms the kernels read, all int32 in pooled buffers:
 * <ul>
 *   <li>CSR: {@code rowPointers} (rows + 1) and {@code columnIndices} (nnz), for the forward product (and
 *       cuSPARSE);</li>
 *   <li>the row of every entry, {@code entryRows} (nnz), for the weight gradient (a group of lanes per entry);</li>
 *   <li>the transpose map: CSC {@code columnPointers} (columns + 1), {@code rowIndices} (nnz) and
 *       {@code valuePositions} (nnz, the CSR position of each CSC entry), for the input gradient, which reads the
 *       one value array through it.</li>
 * </ul>
 * 16 bytes per connection. The values are not here: they are a {@code (1, nnz)} dense matrix in CSR order.
 */
final class CudaSparseMatrix extends AbstractSparseMatrix {

    private final CudaBackend backend;
    private final List<DeviceBufferPool.Lease<Long>> leases;

    CudaSparseMatrix(CudaBackend backend, Connectivity connectivity, List<DeviceBufferPool.Lease<Long>> leases) {
        super(backend, connectivity);
        this.backend = backend;
        this.leases = List.copyOf(leases);
    }

    /** The device address of one of the arrays, by {@link org.sparselinear.api.DevicePatternArrays} index. */
    synchronized long address(int which) {
        requireOpen();
        return leases.get(which).buffer();
    }

    @Override
    protected void release() {
        for (DeviceBufferPool.Lease<Long> lease : leases) {
            backend.pool().release(lease);
        }
    }
}
