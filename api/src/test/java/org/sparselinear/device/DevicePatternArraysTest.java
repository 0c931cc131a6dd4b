package org.sparselinear.device;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;

import org.junit.jupiter.api.Test;
import org.sparselinear.api.Connectivity;

/** The host arrays of a pattern: CSR, the row of each entry, and the CSC transpose map. */
class DevicePatternArraysTest {

    @Test
    void theTransposeMapPointsIntoTheCsrValues() {
        // 3 x 4:  row 0 -> columns 1, 3; row 1 -> nothing; row 2 -> columns 0, 1, 3; column 2 has nothing.
        Connectivity pattern = Connectivity.fromCsr(3, 4, new int[] {0, 2, 2, 5}, new int[] {1, 3, 0, 1, 3});
        int[][] arrays = DevicePatternArrays.of(pattern);
        assertArrayEquals(new int[] {0, 2, 2, 5}, arrays[DevicePatternArrays.ROW_POINTERS]);
        assertArrayEquals(new int[] {1, 3, 0, 1, 3}, arrays[DevicePatternArrays.COLUMN_INDICES]);
        assertArrayEquals(new int[] {0, 0, 2, 2, 2}, arrays[DevicePatternArrays.ENTRY_ROWS]);
        assertArrayEquals(new int[] {0, 1, 3, 3, 5}, arrays[DevicePatternArrays.COLUMN_POINTERS]);
        assertArrayEquals(new int[] {2, 0, 2, 0, 2}, arrays[DevicePatternArrays.ROW_INDICES]);
        assertArrayEquals(new int[] {2, 0, 3, 1, 4}, arrays[DevicePatternArrays.VALUE_POSITIONS]);
    }

    @Test
    void aPatternWithoutConnectionsHasEmptyArrays() {
        int[][] arrays = DevicePatternArrays.of(Connectivity.fromCsr(2, 3, new int[] {0, 0, 0}, new int[0]));
        assertArrayEquals(new int[] {0, 0, 0, 0}, arrays[DevicePatternArrays.COLUMN_POINTERS]);
        assertArrayEquals(new int[0], arrays[DevicePatternArrays.VALUE_POSITIONS]);
    }
}
