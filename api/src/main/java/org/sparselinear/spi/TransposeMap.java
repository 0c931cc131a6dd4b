package org.sparselinear.spi;

import org.sparselinear.api.Connectivity;

/**
 * The column-major (CSC) form of a {@link Connectivity}, for the input gradient {@code dy W},
 * which runs down the columns: the column pointers, the row of every CSC entry, and the transpose
 * map proper, the CSR position of every CSC entry, so that a kernel reads the one value array
 * (stored in CSR order) through it and values are never duplicated. Rows within a column are
 * ascending. Built by {@link Connectivity#transposeMap()} in O(nnz + columns).
 *
 * @param columnPointers {@code columns + 1} offsets into the two other arrays
 * @param rowIndices the row (output) of each CSC entry
 * @param valuePositions the CSR position (index into the value vector) of each CSC entry
 */
public record TransposeMap(int[] columnPointers, int[] rowIndices, int[] valuePositions) {}
