package org.sparselinear.backend.cpu;

/**
 * The copy between the row-major arrays of the API ({@code upload}, {@code download}) and the
 * backend's feature-major (column-major) storage: a transpose, in square tiles so that both the
 * reads and the writes of a tile stay within a few cache lines each (an element-by-element
 * transpose writes one cache line per element, which made uploading a dropout mask cost more
 * than the layer's arithmetic). A matrix with one row or one column is a plain copy.
 */
final class Transpose {

    /** Side of a tile: 16 floats are one cache line. */
    private static final int TILE = 16;

    private Transpose() {}

    /**
     * {@code target[c * rows + r] = source[r * columns + c]}: the row-major {@code (rows, columns)}
     * matrix in {@code source} becomes its column-major form in {@code target}.
     */
    static void rowMajorToColumnMajor(float[] source, int rows, int columns, float[] target) {
        if (rows == 1 || columns == 1) {
            System.arraycopy(source, 0, target, 0, rows * columns);
            return;
        }
        for (int r0 = 0; r0 < rows; r0 += TILE) {
            int r1 = Math.min(rows, r0 + TILE);
            for (int c0 = 0; c0 < columns; c0 += TILE) {
                int c1 = Math.min(columns, c0 + TILE);
                for (int c = c0; c < c1; c++) {
                    int to = c * rows;
                    for (int r = r0; r < r1; r++) {
                        target[to + r] = source[r * columns + c];
                    }
                }
            }
        }
    }
}
