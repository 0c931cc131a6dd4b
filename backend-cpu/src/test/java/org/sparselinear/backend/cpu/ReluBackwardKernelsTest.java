package org.sparselinear.backend.cpu;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/**
 * The rectifier's backward kernel, scalar and vector, bit for bit against the plain formula
 * {@code y > 0 ? dy : 0} (NaN and signed zeros in {@code y} and {@code dy}, overwrite and
 * accumulate, a range starting inside the array and ending in a vector's tail).
 */
class ReluBackwardKernelsTest {

    private static final int LENGTH = 3 * 64 + 7;

    @Test
    void everyImplementationKeepsDyWhereYIsPositiveAndZeroElsewhere() {
        SplittableRandom random = new SplittableRandom(3);
        float[] y = new float[LENGTH];
        float[] dy = new float[LENGTH];
        float[] start = new float[LENGTH];
        for (int i = 0; i < LENGTH; i++) {
            y[i] = (float) random.nextDouble(-1, 1);
            dy[i] = (float) random.nextDouble(-1, 1);
            start[i] = (float) random.nextDouble(-1, 1);
        }
        y[5] = Float.NaN;
        y[6] = -0f;
        y[7] = 0f;
        y[8] = Float.MIN_VALUE;
        dy[9] = -0f;
        y[9] = 1f;
        start[10] = -0f;
        y[10] = -1f;
        int from = 3;
        int to = LENGTH - 2;
        for (RowKernels kernels : List.of(new ScalarRowKernels(), new VectorRowKernels())) {
            for (boolean accumulate : new boolean[] {false, true}) {
                float[] dx = start.clone();
                kernels.reluBackward(y, dy, dx, accumulate, from, to);
                for (int i = 0; i < LENGTH; i++) {
                    float g = y[i] > 0f ? dy[i] : 0f;
                    float expected = i < from || i >= to ? start[i] : accumulate ? start[i] + g : g;
                    assertEquals(
                            Float.floatToRawIntBits(expected),
                            Float.floatToRawIntBits(dx[i]),
                            kernels.getClass().getSimpleName() + " accumulate=" + accumulate + " element " + i);
                }
            }
        }
    }
}
