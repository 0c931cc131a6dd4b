package org.sparselinear.backend.cpu;

import org.sparselinear.api.Connectivity;
import org.sparselinear.spi.AbstractSparseMatrix;
import org.sparselinear.spi.TransposeMap;

/**
 * A pattern in CSR form ({@code rowPointers}, {@code columnIndices}) with its transpose map:
 * the CSC form ({@code columnPointers}, {@code rowIndices}) and, for each CSC position, the CSR
 * position of its value ({@code valuePositions}), so the input gradient reads the one value
 * array. The nnz-balanced partitions of both forms, and the non-empty columns (an input batch's
 * features), are computed once, here.
 */
final class CpuSparseMatrix extends AbstractSparseMatrix {

    final int[] rowPointers;
    final int[] columnIndices;
    final int[] columnPointers;
    final int[] rowIndices;
    final int[] valuePositions;
    /** The columns holding at least one entry, ascending: the features present in an input batch. */
    final int[] nonEmptyColumns;

    final NnzPartition rowPartition;
    final NnzPartition columnPartition;

    CpuSparseMatrix(CpuBackend backend, Connectivity connectivity, int parts) {
        super(backend, connectivity);
        this.rowPointers = connectivity.rowPointers();
        this.columnIndices = connectivity.columnIndices();
        TransposeMap transpose = connectivity.transposeMap();
        this.columnPointers = transpose.columnPointers();
        this.rowIndices = transpose.rowIndices();
        this.valuePositions = transpose.valuePositions();
        this.nonEmptyColumns = nonEmpty(columnPointers);
        this.rowPartition = NnzPartition.of(rowPointers, parts);
        this.columnPartition = NnzPartition.of(columnPointers, parts);
    }

    private static int[] nonEmpty(int[] pointers) {
        int count = 0;
        for (int c = 0; c + 1 < pointers.length; c++) {
            if (pointers[c] < pointers[c + 1]) {
                count++;
            }
        }
        int[] columns = new int[count];
        for (int c = 0, next = 0; next < count; c++) {
            if (pointers[c] < pointers[c + 1]) {
                columns[next++] = c;
            }
        }
        return columns;
    }

    /** The arrays are the garbage collector's; nothing to free. */
    @Override
    protected void release() {}
}
