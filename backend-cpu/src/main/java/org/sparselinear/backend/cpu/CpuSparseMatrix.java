package org.sparselinear.backend.cpu;

import org.sparselinear.api.Backend;
import org.sparselinear.api.Connectivity;
import org.sparselinear.api.SparseMatrix;

/**
 * A pattern in CSR form ({@code rowPointers}, {@code columnIndices}) with its transpose map:
 * the CSC form ({@code columnPointers}, {@code rowIndices}) and, for each CSC position, the CSR
 * position of its value ({@code valuePositions}), so the input gradient reads the one value
 * array. The nnz-balanced partitions of both forms are computed once, here.
 */
final class CpuSparseMatrix implements SparseMatrix {

    private final CpuBackend backend;
    private final Connectivity connectivity;
    final int[] rowPointers;
    final int[] columnIndices;
    final int[] columnPointers;
    final int[] rowIndices;
    final int[] valuePositions;
    final NnzPartition rowPartition;
    final NnzPartition columnPartition;
    private boolean closed;

    CpuSparseMatrix(CpuBackend backend, Connectivity connectivity, int parts) {
        this.backend = backend;
        this.connectivity = connectivity;
        this.rowPointers = connectivity.rowPointers();
        this.columnIndices = connectivity.columnIndices();
        int rows = connectivity.rows();
        int columns = connectivity.columns();
        int nnz = connectivity.nnz();
        columnPointers = new int[columns + 1];
        for (int k = 0; k < nnz; k++) {
            columnPointers[columnIndices[k] + 1]++;
        }
        for (int c = 0; c < columns; c++) {
            columnPointers[c + 1] += columnPointers[c];
        }
        rowIndices = new int[nnz];
        valuePositions = new int[nnz];
        int[] next = new int[columns];
        System.arraycopy(columnPointers, 0, next, 0, columns);
        for (int r = 0; r < rows; r++) {
            for (int k = rowPointers[r]; k < rowPointers[r + 1]; k++) {
                int slot = next[columnIndices[k]]++;
                rowIndices[slot] = r;
                valuePositions[slot] = k;
            }
        }
        rowPartition = NnzPartition.of(rowPointers, parts);
        columnPartition = NnzPartition.of(columnPointers, parts);
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
    public boolean isClosed() {
        return closed;
    }

    @Override
    public void close() {
        closed = true;
    }
}
