package org.sparselinear.api;

/**
 * A sparsity pattern on a backend's device: which {@code (row, column)} positions of a
 * {@code rows x columns} weight matrix exist. For a layer, rows are outputs and columns are
 * inputs. The values live apart, in a {@code (1, nnz)} {@link DenseMatrix} ordered like the
 * pattern's {@link Connectivity} (row-major, columns ascending within a row), so that an
 * optimizer treats them like any other parameter vector and a rewiring can swap the pattern
 * while keeping the values' storage.
 *
 * <p>Backends keep, next to the row-major (CSR) form, a transpose map (CSC positions into the
 * CSR value array) for the input gradient; values are never duplicated.
 */
public interface SparseMatrix extends DeviceResource {

    /** Number of rows (the layer's outputs). */
    int rows();

    /** Number of columns (the layer's inputs). */
    int columns();

    /** Number of stored positions. */
    int nnz();

    /** The host-side pattern this was built from. */
    Connectivity connectivity();
}
