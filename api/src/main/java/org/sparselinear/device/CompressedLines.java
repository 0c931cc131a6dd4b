package org.sparselinear.device;

/**
 * One compressed view of a {@link DevicePattern}, as the sparse-input kernels walk it: its CSR rows or its CSC
 * columns ("lines"). Line {@code l} holds the entries {@code [pointers[l], pointers[l + 1])}; entry {@code q} lies
 * at the other coordinate {@code indices[q]} and its value is {@code values[positions[q]]}, or {@code values[q]}
 * for the CSR, where {@code positions} is null. The line of entry {@code q} is {@code lineOf[positions[q]]}, or
 * {@code lineOf[q]} for the CSR.
 *
 * @param pointers {@code lines + 1} offsets
 * @param indices the other coordinate of every entry
 * @param lineOf the line of every entry, in CSR order ({@link DevicePatternArrays#ENTRY_ROWS} for rows,
 *     {@link DevicePatternArrays#COLUMN_INDICES} for columns)
 * @param positions the CSR position of every entry (the transpose map), or null for the CSR itself
 * @param <B> the backend's buffer handle
 */
public record CompressedLines<B>(B pointers, B indices, B lineOf, B positions) {

    /** The CSR rows of {@code pattern}. */
    public static <B> CompressedLines<B> rowsOf(DevicePattern<B> pattern) {
        return new CompressedLines<>(
                pattern.buffer(DevicePatternArrays.ROW_POINTERS),
                pattern.buffer(DevicePatternArrays.COLUMN_INDICES),
                pattern.buffer(DevicePatternArrays.ENTRY_ROWS),
                null);
    }

    /** The CSC columns of {@code pattern}, reading the CSR values through the transpose map. */
    public static <B> CompressedLines<B> columnsOf(DevicePattern<B> pattern) {
        return new CompressedLines<>(
                pattern.buffer(DevicePatternArrays.COLUMN_POINTERS),
                pattern.buffer(DevicePatternArrays.ROW_INDICES),
                pattern.buffer(DevicePatternArrays.COLUMN_INDICES),
                pattern.buffer(DevicePatternArrays.VALUE_POSITIONS));
    }

    /** Whether values are read through {@link #positions()} (the CSC). */
    public boolean usesPositions() {
        return positions != null;
    }
}
