package org.sparselinear.backend.cuda;

import org.sparselinear.api.DeviceBufferPool;
import java.util.List;
import org.sparselinear.api.AbstractSparseMatrix;
import org.sparselinear.api.Connectivity;
import org.sparselinear.api.TransposeMap;

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

    /** Index of the CSR row pointers among the device arrays (the order of {@link #hostArrays}). */
    static final int ROW_POINTERS = 0;
    /** Index of the CSR column indices. */
    static final int COLUMN_INDICES = 1;
    /** Index of the row of every CSR entry. */
    static final int ENTRY_ROWS = 2;
    /** Index of the CSC column pointers. */
    static final int COLUMN_POINTERS = 3;
    /** Index of the CSC row indices. */
    static final int ROW_INDICES = 4;
    /** Index of the CSR position of every CSC entry (the transpose map). */
    static final int VALUE_POSITIONS = 5;

    private final CudaBackend backend;
    private final List<DeviceBufferPool.Lease<Long>> leases;

    CudaSparseMatrix(CudaBackend backend, Connectivity connectivity, List<DeviceBufferPool.Lease<Long>> leases) {
        super(backend, connectivity);
        this.backend = backend;
        this.leases = List.copyOf(leases);
    }

    /** The host arrays of the device forms, in the order of the index constants: CSR, the row of each entry, CSC. */
    static int[][] hostArrays(Connectivity connectivity) {
        TransposeMap transpose = connectivity.transposeMap();
        return new int[][] {connectivity.rowPointers(), connectivity.columnIndices(), connectivity.entryRows(),
                transpose.columnPointers(), transpose.rowIndices(), transpose.valuePositions()};
    }

    /** The device address of one of the arrays, by index constant. */
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
