package org.sparselinear.benchmarks;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.SplittableRandom;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.sparselinear.api.Connectivity;
import org.sparselinear.api.Topologies;

/**
 * The access-limit loops read and update exactly what a plain loop over the pattern does. Inputs
 * are small whole numbers, so that every sum is exact in float and a read left out changes it.
 */
class InputAccessesTest {

    private static final int IN = 300;
    private static final int OUT = 70;

    @ParameterizedTest
    @ValueSource(ints = {1, 3, 16, 64, 70, 130})
    void readsEveryConnectionsInputColumn(int batch) {
        Connectivity pattern = Topologies.byName("random").connect(IN, OUT, 0.9, 5);
        float[] x = wholeNumbers(IN * batch, new SplittableRandom(7));
        int[] pointers = pattern.rowPointers();
        char[] columns = narrow(pattern.columnIndices());
        double expected = 0;
        for (int k = 0; k < pattern.nnz(); k++) {
            for (int b = 0; b < batch; b++) {
                expected += x[pattern.column(k) * batch + b];
            }
        }
        double whole = InputAccesses.readColumns(pointers, columns, x, batch, 0, OUT);
        double split = InputAccesses.readColumns(pointers, columns, x, batch, 0, 31)
                + InputAccesses.readColumns(pointers, columns, x, batch, 31, OUT);
        assertEquals(expected, whole);
        assertEquals(expected, split);
    }

    @ParameterizedTest
    @ValueSource(ints = {1, 3, 16, 64, 70, 130})
    void readsTheInputAndAddsEachRowsGradientIntoItsColumns(int batch) {
        Connectivity pattern = Topologies.byName("random").connect(IN, OUT, 0.9, 6);
        SplittableRandom random = new SplittableRandom(8);
        float[] x = wholeNumbers(IN * batch, random);
        float[] dy = Inputs.uniform(OUT * batch, random);
        int[] pointers = pattern.rowPointers();
        float[] expectedDx = new float[IN * batch];
        double expectedSum = 0;
        for (int row = 0; row < OUT; row++) {
            for (int k = pointers[row]; k < pointers[row + 1]; k++) {
                for (int b = 0; b < batch; b++) {
                    int t = pattern.column(k) * batch + b;
                    expectedSum += x[t];
                    expectedDx[t] += dy[row * batch + b];
                }
            }
        }
        float[] dx = new float[IN * batch];
        double sum = InputAccesses.readAndScatterColumns(
                pointers, narrow(pattern.columnIndices()), x, dy, dx, batch, 0, OUT);
        assertEquals(expectedSum, sum);
        assertArrayEquals(expectedDx, dx, "the same additions in the same order");
    }

    @ParameterizedTest
    @ValueSource(ints = {1, 2, 3, 7})
    void splitsRowsIntoPartsOfNearlyEqualEntries(int parts) {
        Connectivity pattern = Topologies.byName("random").connect(IN, OUT, 0.9, 9);
        int[] pointers = pattern.rowPointers();
        int[] bounds = InputAccessBenchmark.partitionRows(pointers, parts);
        assertEquals(parts + 1, bounds.length);
        assertEquals(0, bounds[0]);
        assertEquals(OUT, bounds[parts]);
        int longestRow = 0;
        for (int r = 0; r < OUT; r++) {
            longestRow = Math.max(longestRow, pointers[r + 1] - pointers[r]);
        }
        for (int p = 0; p < parts; p++) {
            int entries = pointers[bounds[p + 1]] - pointers[bounds[p]];
            assertEquals((double) pattern.nnz() / parts, entries, longestRow, "part " + p);
        }
    }

    private static float[] wholeNumbers(int length, SplittableRandom random) {
        float[] values = new float[length];
        for (int i = 0; i < length; i++) {
            values[i] = 1 + random.nextInt(3);
        }
        return values;
    }

    private static char[] narrow(int[] indices) {
        char[] columns = new char[indices.length];
        for (int k = 0; k < indices.length; k++) {
            columns[k] = (char) indices[k];
        }
        return columns;
    }
}
