package org.sparselinear.backend.cpu;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/**
 * The row kernels on compact indices of every magnitude, low parts of 0x8000 and above included
 * (which a sign-extending widening would turn negative), and a segment base above zero: the
 * cases of layers wider than 32,768 inputs, checked against plain loops.
 */
class CompactRowKernelsTest {

    private static final int BASE = 3 << 16;
    private static final int LENGTH = 203; // not a multiple of any vector width: the tails run too

    private final char[] low = new char[LENGTH];
    private final float[] values = new float[LENGTH];
    private final float[] in = new float[BASE + 65_536];

    CompactRowKernelsTest() {
        SplittableRandom random = new SplittableRandom(5);
        int[] columns = random.ints(0, 65_536).distinct().limit(LENGTH).sorted().toArray();
        for (int k = 0; k < LENGTH; k++) {
            low[k] = (char) columns[k];
            values[k] = (float) random.nextDouble(-1, 1);
        }
        low[LENGTH - 1] = 0xFFFF;
        for (int i = 0; i < in.length; i++) {
            in[i] = (float) random.nextDouble(-1, 1);
        }
    }

    @Test
    void gatherSegmentReadsTheColumnsBasePlusLowForEveryLaneOfTheBatch() {
        int batch = 2 * VectorRowKernels.lanes() + 3; // vector blocks and a scalar tail
        int base = 1 << 16;
        float[] batchIn = new float[(base + 65_536) * batch];
        SplittableRandom random = new SplittableRandom(6);
        for (int i = 0; i < batchIn.length; i++) {
            batchIn[i] = (float) random.nextDouble(-1, 1);
        }
        for (RowKernels kernels : kernels()) {
            float[] out = new float[batch + 2];
            out[1] = 0.5f; // accumulates into what is there
            kernels.gatherSegment(0, LENGTH, low, base, values, batchIn, batch, out, 1);
            for (int b = 0; b < batch; b++) {
                double expected = b == 0 ? 0.5 : 0;
                for (int k = 0; k < LENGTH; k++) {
                    expected += (double) values[k] * batchIn[(base + low[k]) * batch + b];
                }
                assertEquals(expected, out[1 + b], 1e-4, kernels.getClass().getSimpleName() + " lane " + b);
            }
            assertEquals(0f, out[0], 0f);
        }
    }

    @Test
    void gatherDotAndScatterRowReadTheColumnsBasePlusLow() {
        double dot = 0;
        for (int k = 0; k < LENGTH; k++) {
            dot += (double) values[k] * in[BASE + low[k]];
        }
        float d = 0.75f;
        for (RowKernels kernels : kernels()) {
            String name = kernels.getClass().getSimpleName();
            assertEquals(
                    dot,
                    kernels.gatherDot(0, LENGTH, low, BASE, values, in, new int[RowKernels.SCRATCH_LENGTH]),
                    1e-4,
                    name);
            float[] dx = new float[in.length];
            float[] dValues = new float[LENGTH];
            kernels.scatterRow(0, LENGTH, low, BASE, values, d, dx, in, dValues, false);
            for (int k = 0; k < LENGTH; k++) {
                assertEquals(values[k] * d, dx[BASE + low[k]], 0f, name + " dx of entry " + k);
                assertEquals(d * in[BASE + low[k]], dValues[k], 0f, name + " weight gradient of entry " + k);
            }
        }
    }

    private static RowKernels[] kernels() {
        assertTrue(Simd.vectorApiPresent(), "the tests run with --add-modules jdk.incubator.vector");
        return new RowKernels[] {new ScalarRowKernels(), new VectorRowKernels()};
    }
}
