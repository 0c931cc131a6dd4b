package org.sparselinear.tck.naive;

import org.sparselinear.api.Connectivity;
import org.sparselinear.spi.AbstractSparseMatrix;
import org.sparselinear.spi.TransposeMap;

/**
 * A pattern of {@link NaiveBackend}: CSR arrays, and the transpose map docs/ARCHITECTURE.md describes:
 * the entries grouped by column (CSC), each pointing to its position in the CSR value array.
 */
final class NaivePattern extends AbstractSparseMatrix {

    final int[] rowPointers;
    final int[] columnIndices;
    final int[] columnPointers;
    final int[] rowOfEntry;
    final int[] valuePosition;

    NaivePattern(NaiveBackend backend, Connectivity connectivity) {
        super(backend, connectivity);
        this.rowPointers = connectivity.rowPointers();
        this.columnIndices = connectivity.columnIndices();
        TransposeMap transpose = connectivity.transposeMap();
        this.columnPointers = transpose.columnPointers();
        this.rowOfEntry = transpose.rowIndices();
        this.valuePosition = transpose.valuePositions();
    }

    @Override
    protected void release() {
        // The arrays belong to the garbage collector.
    }
}
