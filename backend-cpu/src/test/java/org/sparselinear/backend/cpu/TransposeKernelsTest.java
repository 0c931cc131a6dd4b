package org.sparselinear.backend.cpu;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * {@link RowKernels#transpose}, scalar and vector, against its element-by-element definition: shapes around the
 * tile and vector sizes, blocks inside larger arrays (offsets, strides wider than the block), and every element
 * outside the block left as it was.
 */
class TransposeKernelsTest {

    @Test
    void everyImplementationLandsEachElementAndTouchesNothingElse() {
        int[] sizes = {1, 2, 15, 16, 17, 31, 32, 33, 65};
        for (RowKernels kernels : List.of(new ScalarRowKernels(), new VectorRowKernels())) {
            for (int rows : sizes) {
                for (int columns : sizes) {
                    check(kernels, rows, columns, 0, columns, 0, rows);
                    check(kernels, rows, columns, 5, columns + 3, 7, rows + 2);
                }
            }
        }
    }

    private static void check(
            RowKernels kernels,
            int rows,
            int columns,
            int sourceOffset,
            int sourceStride,
            int targetOffset,
            int targetStride) {
        float[] source = new float[sourceOffset + rows * sourceStride];
        for (int i = 0; i < source.length; i++) {
            source[i] = i + 0.5f;
        }
        float[] target = new float[targetOffset + columns * targetStride + 4];
        float untouched = -1f;
        Arrays.fill(target, untouched);
        kernels.transpose(source, sourceOffset, sourceStride, target, targetOffset, targetStride, rows, columns);
        float[] expected = new float[target.length];
        Arrays.fill(expected, untouched);
        for (int r = 0; r < rows; r++) {
            for (int c = 0; c < columns; c++) {
                expected[targetOffset + c * targetStride + r] = source[sourceOffset + r * sourceStride + c];
            }
        }
        for (int i = 0; i < target.length; i++) {
            assertEquals(
                    expected[i],
                    target[i],
                    0f,
                    kernels.getClass().getSimpleName() + ", a " + rows + " x " + columns + " block (offsets "
                            + sourceOffset + ", " + targetOffset + "): element " + i);
        }
    }
}
