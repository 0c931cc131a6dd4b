package org.sparselinear.device;

import org.sparselinear.api.Connectivity;
import org.sparselinear.api.SparseMatrix;
import org.sparselinear.spi.TransposeMap;

/**
 * The int32 arrays a device backend uploads for a pattern, in one fixed order that its kernels
 * and its {@link SparseMatrix} share: CSR for the forward product, the row of every entry for the
 * weight gradient (one thread per entry), and the CSC transpose map for the input gradient
 * ({@link TransposeMap}). Shared by the GPU backends so that each builds the same layout once.
 */
public final class DevicePatternArrays {

    /** Index of the CSR row pointers ({@code rows + 1}). */
    public static final int ROW_POINTERS = 0;
    /** Index of the CSR column indices ({@code nnz}). */
    public static final int COLUMN_INDICES = 1;
    /** Index of the row of every CSR entry ({@code nnz}). */
    public static final int ENTRY_ROWS = 2;
    /** Index of the CSC column pointers ({@code columns + 1}). */
    public static final int COLUMN_POINTERS = 3;
    /** Index of the CSC row indices ({@code nnz}). */
    public static final int ROW_INDICES = 4;
    /** Index of the CSR position of every CSC entry, the transpose map ({@code nnz}). */
    public static final int VALUE_POSITIONS = 5;

    private DevicePatternArrays() {}

    /** The six arrays of {@code connectivity}, indexed by the constants above. */
    public static int[][] of(Connectivity connectivity) {
        TransposeMap transpose = connectivity.transposeMap();
        return new int[][] {
            connectivity.rowPointers(),
            connectivity.columnIndices(),
            connectivity.entryRows(),
            transpose.columnPointers(),
            transpose.rowIndices(),
            transpose.valuePositions()
        };
    }
}
