package org.sparselinear.spi;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/**
 * The k-th smallest and largest rank, and the ordering by rank, against sorted copies, over the
 * whole int range and with ties.
 */
class RankSelectionTest {

    @Test
    void everyOrderStatisticEqualsTheSortedOne() {
        SplittableRandom random = new SplittableRandom(5);
        for (int[] ranks : new int[][] {
            random.ints(300).toArray(), // the whole int range, both signs
            random.ints(300, -3, 4).toArray(), // many ties
            magnitudeRanks(random, 300), // what the selections rank: |x|, zeros and NaN among them
            {Integer.MIN_VALUE, Integer.MAX_VALUE, 0, -1, 65_535, 65_536, -65_536}
        }) {
            int[] sorted = ranks.clone();
            Arrays.sort(sorted);
            for (int k = 1; k <= ranks.length; k++) {
                assertEquals(sorted[k - 1], RankSelection.kthSmallest(ranks, ranks.length, k), "k = " + k);
                assertEquals(
                        sorted[ranks.length - k], RankSelection.kthLargest(ranks, ranks.length, k), "largest k = " + k);
            }
        }
    }

    @Test
    void byDescendingRankIsAStableSortOfTheCandidates() {
        SplittableRandom random = new SplittableRandom(9);
        for (int[] ranks : new int[][] {
            random.ints(3_000).toArray(),
            random.ints(3_000, -3, 4).toArray(),
            magnitudeRanks(random, 3_000),
            {Integer.MIN_VALUE, Integer.MAX_VALUE, 0, -1, 65_535, 65_536, -65_536, 0, Integer.MAX_VALUE}
        }) {
            int[] candidates = random.ints(ranks.length / 2, 0, ranks.length).toArray();
            long[] keys = new long[candidates.length];
            for (int n = 0; n < candidates.length; n++) {
                keys[n] = ((long) ~ranks[candidates[n]] << 32) | n; // descending rank, then the given order
            }
            Arrays.sort(keys);
            int[] expected =
                    Arrays.stream(keys).mapToInt(key -> candidates[(int) key]).toArray();
            int[] given = candidates.clone();

            assertArrayEquals(expected, RankSelection.byDescendingRank(ranks, candidates));
            assertArrayEquals(given, candidates, "the candidates are not changed");
        }
        assertArrayEquals(new int[0], RankSelection.byDescendingRank(new int[] {4}, new int[0]));
    }

    @Test
    void onlyThePrefixOfTheGivenLengthCounts() {
        int[] ranks = {5, 1, 9, -100, -200};
        assertEquals(1, RankSelection.kthSmallest(ranks, 3, 1));
        assertEquals(9, RankSelection.kthLargest(ranks, 3, 1));
    }

    @Test
    void aKOutsideTheElementsIsRejected() {
        int[] ranks = {1, 2, 3};
        IllegalArgumentException e =
                assertThrows(IllegalArgumentException.class, () -> RankSelection.kthSmallest(ranks, 3, 4));
        assertTrue(e.getMessage().contains("expected 1 <= k <= length"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> RankSelection.kthLargest(ranks, 3, 0));
        assertThrows(IllegalArgumentException.class, () -> RankSelection.kthSmallest(ranks, 4, 1));
    }

    private static int[] magnitudeRanks(SplittableRandom random, int count) {
        int[] ranks = new int[count];
        for (int j = 0; j < count; j++) {
            float value = j % 7 == 0 ? 0f : j % 11 == 0 ? Float.NaN : (float) random.nextGaussian();
            ranks[j] = RunningTopK.rank(Math.abs(value));
        }
        return ranks;
    }
}
