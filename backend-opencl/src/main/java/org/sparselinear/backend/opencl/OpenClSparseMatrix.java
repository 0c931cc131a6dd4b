package org.sparselinear.backend.opencl;

import java.util.Arrays;
import java.util.List;
import org.jocl.cl_mem;
import org.sparselinear.api.Backend;
import org.sparselinear.api.Connectivity;
import org.sparselinear.api.SparseMatrix;

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
final class OpenClSparseMatrix implements SparseMatrix {

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

    private final OpenClBackend backend;
    private final Connectivity connectivity;
    private final List<BufferPool.Lease<cl_mem>> leases;
    private boolean closed;

    OpenClSparseMatrix(OpenClBackend backend, Connectivity connectivity, List<BufferPool.Lease<cl_mem>> leases) {
        this.backend = backend;
        this.connectivity = connectivity;
        this.leases = List.copyOf(leases);
    }

    /**
     * The host arrays of the device forms, in the order of the index constants: CSR, the row of
     * each entry, and the CSC transpose map built by a counting sort over the columns (stable,
     * so the rows within a column stay ascending).
     */
    static int[][] hostArrays(Connectivity connectivity) {
        int rows = connectivity.rows();
        int columns = connectivity.columns();
        int nnz = connectivity.nnz();
        int[] rowPointers = connectivity.rowPointers();
        int[] columnIndices = connectivity.columnIndices();
        int[] entryRows = new int[nnz];
        int[] columnPointers = new int[columns + 1];
        for (int r = 0; r < rows; r++) {
            for (int k = rowPointers[r]; k < rowPointers[r + 1]; k++) {
                entryRows[k] = r;
                columnPointers[columnIndices[k] + 1]++;
            }
        }
        for (int c = 1; c <= columns; c++) {
            columnPointers[c] += columnPointers[c - 1];
        }
        int[] fill = Arrays.copyOf(columnPointers, columns);
        int[] rowIndices = new int[nnz];
        int[] valuePositions = new int[nnz];
        for (int k = 0; k < nnz; k++) {
            int slot = fill[columnIndices[k]]++;
            rowIndices[slot] = entryRows[k];
            valuePositions[slot] = k;
        }
        return new int[][] {rowPointers, columnIndices, entryRows, columnPointers, rowIndices, valuePositions};
    }

    /** One of the device arrays, by index constant. */
    synchronized cl_mem buffer(int which) {
        if (closed) {
            throw new IllegalStateException("OpenCL pattern " + rows() + " x " + columns() + " was closed");
        }
        backend.ensureOpen();
        return leases.get(which).buffer();
    }

    @Override
    public int rows() {
        return connectivity.rows();
    }

    @Override
    public int columns() {
        return connectivity.columns();
    }

    @Override
    public int nnz() {
        return connectivity.nnz();
    }

    @Override
    public Connectivity connectivity() {
        return connectivity;
    }

    @Override
    public Backend backend() {
        return backend;
    }

    @Override
    public synchronized boolean isClosed() {
        return closed;
    }

    @Override
    public synchronized void close() {
        if (closed) {
            return;
        }
        closed = true;
        for (BufferPool.Lease<cl_mem> lease : leases) {
            backend.pool().release(lease);
        }
    }

    @Override
    public String toString() {
        return "OpenClSparseMatrix(" + rows() + " x " + columns() + ", nnz " + nnz() + ")";
    }
}
