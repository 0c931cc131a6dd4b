package org.sparselinear.backend.opencl;

import org.sparselinear.api.DeviceBufferPool;
import java.util.List;
import org.jocl.cl_mem;
import org.sparselinear.api.AbstractSparseMatrix;
import org.sparselinear.api.Connectivity;

/**
 * A pattern on the device, in the three forms the kernels read, all int32 in pooled buffers:
 * <ul>
 *   <li>CSR: {@code rowPointers} (rows + 1) and {@code columnIndices} (nnz), for the forward product;</li>
 *   <li>the row of every entry, {@code entryRows} (nnz), for the weight gradient (one work-item per entry);</li>
 *   <li>the transpose map: CSC {@code columnPointers} (columns + 1), {@code rowIndices} (nnz) and
 *       {@code valuePositions} (nnz, the CSR position of each CSC entry), for the input gradient,
 *       which reads the one value array through it.</li>
 * </ul>
 * The values are not here: they are a {@code (1, nnz)} dense matrix in CSR order.
 */
final class OpenClSparseMatrix extends AbstractSparseMatrix {

    private final OpenClBackend backend;
    private final List<DeviceBufferPool.Lease<cl_mem>> leases;

    OpenClSparseMatrix(OpenClBackend backend, Connectivity connectivity, List<DeviceBufferPool.Lease<cl_mem>> leases) {
        super(backend, connectivity);
        this.backend = backend;
        this.leases = List.copyOf(leases);
    }

    /** One of the device arrays, by {@link org.sparselinear.api.DevicePatternArrays} index. */
    synchronized cl_mem buffer(int which) {
        requireOpen();
        backend.ensureOpen();
        return leases.get(which).buffer();
    }

    @Override
    protected void release() {
        for (DeviceBufferPool.Lease<cl_mem> lease : leases) {
            backend.pool().release(lease);
        }
    }
}
