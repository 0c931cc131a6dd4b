package org.sparselinear.device;

/**
 * The change between the row-major arrays users hand over and the feature-major layout device matrices are
 * stored in (element {@code (r, c)} at {@code c * rows + r}), for backends that do it on the host while copying.
 */
public final class HostTranspose {

    private HostTranspose() {}

    /** {@code rowMajor} ({@code rows x columns}, element {@code (r, c)} at {@code r * columns + c}) as feature-major. */
    public static float[] toFeatureMajor(float[] rowMajor, int rows, int columns) {
        float[] featureMajor = new float[rowMajor.length];
        for (int r = 0; r < rows; r++) {
            int from = r * columns;
            for (int c = 0; c < columns; c++) {
                featureMajor[c * rows + r] = rowMajor[from + c];
            }
        }
        return featureMajor;
    }

    /** {@code featureMajor} ({@code rows x columns}, element {@code (r, c)} at {@code c * rows + r}) as row-major. */
    public static float[] toRowMajor(float[] featureMajor, int rows, int columns) {
        float[] rowMajor = new float[featureMajor.length];
        for (int c = 0; c < columns; c++) {
            int from = c * rows;
            for (int r = 0; r < rows; r++) {
                rowMajor[r * columns + c] = featureMajor[from + r];
            }
        }
        return rowMajor;
    }
}
