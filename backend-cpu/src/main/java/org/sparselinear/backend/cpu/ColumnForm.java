package org.sparselinear.backend.cpu;

import org.sparselinear.api.Connectivity;
import org.sparselinear.spi.TransposeMap;

/**
 * The CSC form of a {@link CpuSparseMatrix}: its transpose map ({@code columnPointers},
 * {@code rowIndices}, and for each CSC position the CSR position of its value,
 * {@code valuePositions}), the columns holding at least one entry, and the nnz-balanced
 * partition of the columns. Eight bytes per connection, so a pattern builds it only when a
 * kernel first walks its columns ({@link CpuSparseMatrix#columnForm()}).
 */
final class ColumnForm {

    final int[] columnPointers;
    final int[] rowIndices;
    final int[] valuePositions;
    /** The columns holding at least one entry, ascending: the features present in an input batch. */
    final int[] nonEmptyColumns;

    final NnzPartition partition;

    ColumnForm(Connectivity connectivity, int parts) {
        TransposeMap transpose = connectivity.transposeMap();
        this.columnPointers = transpose.columnPointers();
        this.rowIndices = transpose.rowIndices();
        this.valuePositions = transpose.valuePositions();
        this.nonEmptyColumns = nonEmpty(columnPointers);
        this.partition = NnzPartition.of(columnPointers, parts);
    }

    /** Bytes of the arrays, for a pattern of {@code columns} columns and {@code nnz} entries. */
    static long bytes(int columns, long nnz) {
        return 4L * (columns + 1L) + 8L * nnz;
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
}
