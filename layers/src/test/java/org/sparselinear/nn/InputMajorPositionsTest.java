package org.sparselinear.nn;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.sparselinear.api.Connectivity;
import org.sparselinear.testing.Tensors;

/**
 * {@link InputMajorWeight}'s position maps against brute force on random patterns: each input-major position holds
 * the connection {@code (o, i)} of W's column order, the two orders' maps are inverse, values move between them
 * exactly, and the sources of a rewiring, given by row-major position, land on the same connections.
 */
class InputMajorPositionsTest {

    private static final int OUT = 23;
    private static final int IN = 37;

    private static Connectivity random(SplittableRandom random, double density) {
        List<int[]> entries = new ArrayList<>();
        for (int o = 0; o < OUT; o++) {
            for (int i = 0; i < IN; i++) {
                if (random.nextDouble() < density) {
                    entries.add(new int[] {o, i});
                }
            }
        }
        return Connectivity.fromCoo(OUT, IN, new int[][] {
            entries.stream().mapToInt(e -> e[0]).toArray(),
            entries.stream().mapToInt(e -> e[1]).toArray()
        });
    }

    /** The connection of every input-major position, as a row-major position of {@code weight}: column, then row order. */
    private static int[] connectionsByColumn(Connectivity weight) {
        int[][] coo = weight.toCoo();
        List<Integer> order = new ArrayList<>();
        for (int i = 0; i < IN; i++) {
            for (int k = 0; k < weight.nnz(); k++) {
                if (coo[1][k] == i) {
                    order.add(k);
                }
            }
        }
        return order.stream().mapToInt(Integer::intValue).toArray();
    }

    @ParameterizedTest
    @ValueSource(longs = {1, 2, 3})
    void positionsFollowTheColumnOrderAndInvertEachOther(long seed) {
        Connectivity weight = random(new SplittableRandom(seed), 0.3);
        try (InputMajorWeight held = InputMajorWeight.of(weight, Tensors.backend())) {
            int[] byColumn = connectionsByColumn(weight);
            assertArrayEquals(byColumn, held.fromRowOrder(), "the connection of every input-major position");
            int[] back = held.toRowOrder();
            for (int q = 0; q < byColumn.length; q++) {
                assertEquals(q, back[byColumn[q]], "row position " + byColumn[q]);
            }
            float[] rowOrder = Tensors.uniform(seed, weight.nnz(), -1, 1);
            assertArrayEquals(rowOrder, held.inRowOrder(OptimizerTransfer.gather(rowOrder, held.fromRowOrder())));
        }
    }

    @ParameterizedTest
    @ValueSource(longs = {4, 5, 6})
    void theSourcesOfARewiringLandOnTheSameConnections(long seed) {
        SplittableRandom random = new SplittableRandom(seed);
        Connectivity before = random(random, 0.3);
        Connectivity after = random(random, 0.3);
        int[][] oldCoo = before.toCoo();
        int[][] newCoo = after.toCoo();
        int[] rowSources = new int[after.nnz()];
        for (int k = 0; k < after.nnz(); k++) {
            rowSources[k] = before.contains(newCoo[0][k], newCoo[1][k])
                    ? before.positionsOf(new int[] {newCoo[0][k]}, new int[] {newCoo[1][k]})[0]
                    : -1;
        }
        try (InputMajorWeight held = InputMajorWeight.of(before, Tensors.backend());
                InputMajorWeight next = InputMajorWeight.of(after, Tensors.backend())) {
            int[] sources = held.sourcesOf(next, rowSources);
            int[] oldByColumn = connectionsByColumn(before);
            int[] newByColumn = connectionsByColumn(after);
            for (int q = 0; q < sources.length; q++) {
                int o = newCoo[0][newByColumn[q]];
                int i = newCoo[1][newByColumn[q]];
                if (sources[q] < 0) {
                    assertFalse(before.contains(o, i), "(" + o + ", " + i + ") is new");
                } else {
                    int old = oldByColumn[sources[q]];
                    assertEquals(o, oldCoo[0][old], "row of the source of (" + o + ", " + i + ")");
                    assertEquals(i, oldCoo[1][old], "column of the source of (" + o + ", " + i + ")");
                }
            }
        }
    }
}
