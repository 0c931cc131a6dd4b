package org.sparselinear.nn.sparsity;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;

import java.util.Arrays;
import java.util.Comparator;
import java.util.SplittableRandom;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

/** RigL's drop selection, a partial selection, against a full sort by magnitude and then position. */
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
}
