package org.sparselinear.backend.cpu;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

/** The tiled transpose against the element-by-element definition, for shapes around the tile size. */
class TransposeTest {

    @Test
    void everyShapeLandsEachElementAtColumnTimesRowsPlusRow() {
        int[] sizes = {1, 2, 31, 32, 33, 65, 100};
        for (int rows : sizes) {
            for (int columns : sizes) {
                float[] source = new float[rows * columns];
                for (int i = 0; i < source.length; i++) {
                    source[i] = i + 0.5f;
                }
                float[] target = new float[source.length];
                Transpose.rowMajorToColumnMajor(source, rows, columns, target);
                for (int r = 0; r < rows; r++) {
                    for (int c = 0; c < columns; c++) {
                        assertEquals(
                                source[r * columns + c],
                                target[c * rows + r],
                                0f,
                                "(" + r + ", " + c + ") of a " + rows + " x " + columns + " matrix");
                    }
                }
            }
        }
    }
}
