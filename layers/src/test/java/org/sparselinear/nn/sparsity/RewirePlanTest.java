package org.sparselinear.nn.sparsity;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import java.util.Comparator;
import java.util.SplittableRandom;
import java.util.TreeMap;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;
import org.sparselinear.api.Connectivity;

/**
 * RigL's drop selection, a partial selection, against a full sort by magnitude and then position;
 * the new pattern and source positions of a drop-and-grow step against a sorted map of the
 * positions; and the errors for grown positions outside, connected already or given twice.
 */
class RewirePlanTest {

    @Test
    void theSmallestMagnitudesAreTheFirstOfAFullSort() {
        SplittableRandom random = new SplittableRandom(9);
        float[] values = new float[500];
        for (int k = 0; k < values.length; k++) {
            // Ties (integers, both signs), zeros and a few NaN, which go first.
            values[k] = k % 97 == 0 ? Float.NaN : random.nextInt(-6, 7);
        }
        Integer[] byMagnitude = IntStream.range(0, values.length).boxed().toArray(Integer[]::new);
        Arrays.sort(
                byMagnitude,
                Comparator.comparing((Integer k) -> Float.isNaN(values[k]) ? -1f : Math.abs(values[k]))
                        .thenComparing(k -> k));
        for (int count : new int[] {0, 1, 5, 60, 250, 499, 500}) {
            int[] expected = Arrays.stream(byMagnitude, 0, count)
                    .mapToInt(Integer::intValue)
                    .sorted()
                    .toArray();
            assertArrayEquals(expected, RewirePlan.smallestMagnitudes(values, count), "count " + count);
        }
    }

    @Test
    void aPlanKeepsTheUndroppedConnectionsInPlaceAndAddsTheGrownOnes() {
        SplittableRandom random = new SplittableRandom(11);
        int rows = 7;
        int columns = 40;
        Connectivity old = randomPattern(rows, columns, 0.3, random);
        int[] dropped = IntStream.range(0, old.nnz())
                .filter(k -> random.nextInt(3) == 0)
                .toArray();
        TreeMap<Long, Integer> expected = new TreeMap<>();
        int[] oldRows = old.entryRows();
        for (int k = 0, d = 0; k < old.nnz(); k++) {
            if (d < dropped.length && dropped[d] == k) {
                d++;
            } else {
                expected.put((long) oldRows[k] * columns + old.column(k), k);
            }
        }
        int[][] grown = new int[2][];
        long[] free = IntStream.range(0, rows * columns)
                .filter(p -> !old.contains(p / columns, p % columns))
                .asLongStream()
                .filter(p -> random.nextInt(4) == 0)
                .toArray();
        grown[0] = new int[free.length];
        grown[1] = new int[free.length];
        for (int j = 0; j < free.length; j++) { // given in reverse, so the plan must order them
            long p = free[free.length - 1 - j];
            grown[0][j] = (int) (p / columns);
            grown[1][j] = (int) (p % columns);
            expected.put(p, -1);
        }
        RewirePlan plan = RewirePlan.of(old, dropped, grown);
        Connectivity next = plan.connectivity();
        assertEquals(expected.size(), next.nnz());
        int[] nextRows = next.entryRows();
        int j = 0;
        for (var entry : expected.entrySet()) {
            assertEquals(entry.getKey() / columns, nextRows[j], "row of connection " + j);
            assertEquals(entry.getKey() % columns, next.column(j), "column of connection " + j);
            assertEquals(entry.getValue(), plan.sourcePositions()[j], "source of connection " + j);
            j++;
        }
    }

    @Test
    void aGrownPositionOutsideConnectedAlreadyDroppedOrNotOrTwiceIsRefused() {
        Connectivity old = Connectivity.fromCsr(2, 5, new int[] {0, 2, 3}, new int[] {1, 3, 0});
        String outside = assertThrows(
                        IllegalArgumentException.class,
                        () -> RewirePlan.of(old, new int[0], new int[][] {{0, 2}, {0, 0}}))
                .getMessage();
        assertTrue(outside.contains("grown position 1 (2, 0) is outside the (2, 5) weight"), outside);
        String connected = assertThrows(
                        IllegalArgumentException.class,
                        () -> RewirePlan.of(old, new int[0], new int[][] {{0, 0}, {0, 3}}))
                .getMessage();
        assertTrue(connected.contains("grown position 1 (0, 3) is connected already"), connected);
        String dropped = assertThrows(
                        IllegalArgumentException.class, () -> RewirePlan.of(old, new int[] {2}, new int[][] {{1}, {0}}))
                .getMessage();
        assertTrue(dropped.contains("grown position 0 (1, 0) is connected already"), dropped);
        String twice = assertThrows(
                        IllegalArgumentException.class,
                        () -> RewirePlan.of(old, new int[0], new int[][] {{1, 1}, {4, 4}}))
                .getMessage();
        assertTrue(twice.contains("position (1, 4) is grown twice"), twice);
    }

    private static Connectivity randomPattern(int rows, int columns, double density, SplittableRandom random) {
        int[] rowPointers = new int[rows + 1];
        int[] all = new int[rows * columns];
        int nnz = 0;
        for (int r = 0; r < rows; r++) {
            for (int c = 0; c < columns; c++) {
                if (random.nextDouble() < density) {
                    all[nnz++] = c;
                }
            }
            rowPointers[r + 1] = nnz;
        }
        return Connectivity.fromCsr(rows, columns, rowPointers, Arrays.copyOf(all, nnz));
    }
}
