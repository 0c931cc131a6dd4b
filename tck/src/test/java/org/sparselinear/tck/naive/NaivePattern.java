package org.sparselinear.tck.naive;

import org.sparselinear.api.Backend;
import org.sparselinear.api.Connectivity;
import org.sparselinear.api.SparseMatrix;

/**
 * A pattern of {@link NaiveBackend}: CSR arrays, and the transpose map the design describes:
 * the entries grouped by column (CSC), each pointing to its position in the CSR value array.
 */
final class NaivePattern implements SparseMatrix {

    private final NaiveBackend backend;
    private final Connectivity connectivity;
    private boolean closed;

    final int[] rowPointers;
    final int[] columnIndices;
    final int[] columnPointers;
    final int[] rowOfEntry;
    final int[] valuePosition;

    NaivePattern(NaiveBackend backend, Connectivity connectivity) {
        this.backend = backend;
        this.connectivity = connectivity;
        this.rowPointers = connectivity.rowPointers();
        this.columnIndices = connectivity.columnIndices();
        int rows = connectivity.rows();
        int columns = connectivity.columns();
        columnPointers = new int[columns + 1];
        for (int column : columnIndices) {
            columnPointers[column + 1]++;
        }
        for (int c = 0; c < columns; c++) {
            columnPointers[c + 1] += columnPointers[c];
        }
        int[] fill = columnPointers.clone();
        rowOfEntry = new int[columnIndices.length];
        valuePosition = new int[columnIndices.length];
        for (int r = 0; r < rows; r++) {
            for (int k = rowPointers[r]; k < rowPointers[r + 1]; k++) {
                int slot = fill[columnIndices[k]]++;
                rowOfEntry[slot] = r;
                valuePosition[slot] = k;
            }
        }
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
