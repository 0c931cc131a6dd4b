package org.sparselinear.device;

/**
 * The sparse-input kernels whose arguments {@link DeviceBackend} builds, the same in number, order and kind on every
 * device; a backend names its compiled kernel for each ({@link DeviceBackend#signature}) and launches it with one
 * work-item per unit of work ({@link DeviceBackend#launchSparseInput}).
 */
public enum SparseInputKernel {
    /** Sums the entries of each compressed line against a strided dense matrix: {@code DeviceBackend.sumLines}. */
    LINES_DENSE,
    /** A sparse batch's rows through a sparse weight's columns: {@code DeviceBackend.sumRowsThroughColumns}. */
    ROWS_THROUGH_COLUMNS,
    /** A dot per entry of a dense line with a compressed column: {@code DeviceBackend.columnDots}. */
    COLUMN_DOTS
}
