package org.sparselinear.backend.cpu;

import org.sparselinear.api.Connectivity;
import org.sparselinear.spi.AbstractSparseMatrix;

/**
 * A pattern in CSR form ({@code rowPointers} and the column indices in two bytes each,
 * {@link CompactColumns}) with the nnz-balanced partition of its rows. Its CSC form ({@link ColumnForm}: the transpose map, for the kernels
 * that walk columns) is built on first use and kept, so a layer fed dense inputs never pays its
 * eight bytes per connection.
 */
final class CpuSparseMatrix extends AbstractSparseMatrix {

    final int[] rowPointers;
    final CompactColumns columns;
    final NnzPartition rowPartition;

    private final int parts;
    private volatile ColumnForm columnForm;
    private volatile int[] columnIndices;

    CpuSparseMatrix(CpuBackend backend, Connectivity connectivity, int parts, int lowBits) {
        super(backend, connectivity);
        this.rowPointers = connectivity.rowPointers();
        this.columns = new CompactColumns(connectivity, rowPointers, lowBits);
        this.rowPartition = NnzPartition.of(rowPointers, parts);
        this.parts = parts;
    }

    /** The CSC form, built from the connectivity on the first call (thread-safe). */
    ColumnForm columnForm() {
        ColumnForm form = columnForm;
        if (form == null) {
            synchronized (this) {
                form = columnForm;
                if (form == null) {
                    form = new ColumnForm(connectivity(), parts);
                    columnForm = form;
                }
            }
        }
        return form;
    }

    /**
     * The column of every entry as an {@code int}, copied from the connectivity on the first call (thread-safe)
     * and kept: four more bytes per connection, taken only by a weight held input-major, whose rows the
     * sparse-input products walk once per batch entry ({@link FeatureConnections}).
     */
    int[] columnIndices() {
        int[] indices = columnIndices;
        if (indices == null) {
            synchronized (this) {
                indices = columnIndices;
                if (indices == null) {
                    indices = connectivity().columnIndices();
                    columnIndices = indices;
                }
            }
        }
        return indices;
    }

    /** The arrays are the garbage collector's; nothing to free. */
    @Override
    protected void release() {}
}
