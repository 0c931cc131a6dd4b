package org.sparselinear.device;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.sparselinear.spi.RunningTopK;

/**
 * The shared host loop of RigL's grow step, driven by a host scan that plays the device: the result must be the
 * exact top k of a brute-force sort, whether the scan returns every qualifying position or only its own best.
 */
class DeviceTopKTest {

    /** A gradient of rows x columns magnitudes, some positions stored (excluded). */
    private record Gradient(int rows, int columns, float[] magnitudes, boolean[] stored) {

        static Gradient random(int rows, int columns, double storedShare, long seed) {
            SplittableRandom random = new SplittableRandom(seed);
            float[] magnitudes = new float[rows * columns];
            boolean[] stored = new boolean[magnitudes.length];
            for (int i = 0; i < magnitudes.length; i++) {
                magnitudes[i] = random.nextInt(50); // many ties: the lower position must win them
                stored[i] = random.nextDouble() < storedShare;
            }
            return new Gradient(rows, columns, magnitudes, stored);
        }

        long storedCount() {
            long count = 0;
            for (boolean s : stored) {
                count += s ? 1 : 0;
            }
            return count;
        }

        /** The best k unstored positions by a full sort. */
        int[][] bruteForce(int k) {
            long[] keys = new long[magnitudes.length]; // larger magnitude first, then the lower position
            int count = 0;
            for (int i = 0; i < magnitudes.length; i++) {
                if (!stored[i]) {
                    keys[count++] = ((long) ~RunningTopK.rank(magnitudes[i]) << 32) | i;
                }
            }
            long[] sorted = Arrays.copyOf(keys, count);
            Arrays.sort(sorted);
            long[] best = new long[Math.min(k, count)];
            for (int j = 0; j < best.length; j++) {
                best[j] = sorted[j] & 0xffff_ffffL;
            }
            return DeviceTopK.rowsAndColumns(best, columns);
        }

        /** A scan like the OpenCL one: every unstored position above the threshold. */
        DeviceTopK.BlockScan scan(List<String> calls, boolean onlyOwnBest, int capacity) {
            return new DeviceTopK.BlockScan() {
                @Override
                public int[] candidates(int row0, int elements, boolean full, int thresholdRank) {
                    calls.add(row0 + "+" + elements);
                    int first = row0 * columns;
                    RunningTopK own = new RunningTopK(capacity);
                    int[] pairs = new int[2 * elements];
                    int count = 0;
                    for (int offset = 0; offset < elements; offset++) {
                        int rank = RunningTopK.rank(magnitudes[first + offset]);
                        if (!stored[first + offset] && (!full || rank >= thresholdRank)) {
                            if (onlyOwnBest) {
                                own.offerRanked(rank, offset);
                            } else {
                                pairs[count++] = rank;
                                pairs[count++] = offset;
                            }
                        }
                    }
                    if (onlyOwnBest) {
                        for (long offset : own.drainBestFirst()) {
                            pairs[count++] = RunningTopK.rank(magnitudes[first + (int) offset]);
                            pairs[count++] = (int) offset;
                        }
                    }
                    return Arrays.copyOf(pairs, count);
                }

                @Override
                public void close() {
                    calls.add("closed");
                }
            };
        }
    }

    @Test
    void blocksHoldWholeRowsOfAtMostTheBlockSize() {
        assertEquals(349, DeviceTopK.blockRows(700, 3000));
        assertEquals(1, DeviceTopK.blockRows(10, 1 << 21));
        assertEquals(5, DeviceTopK.blockRows(5, 10));
    }

    @Test
    void theLoopMergesEveryBlockIntoTheExactTopK() {
        Gradient gradient = Gradient.random(700, 3000, 0.01, 1);
        for (boolean onlyOwnBest : new boolean[] {false, true}) {
            List<String> calls = new ArrayList<>();
            int[][] actual = DeviceTopK.select(
                    gradient.rows(), gradient.columns(), gradient.storedCount(), 5000, (blockRows, capacity) -> {
                        assertEquals(349, blockRows);
                        assertEquals(5000, capacity);
                        return gradient.scan(calls, onlyOwnBest, capacity);
                    });
            int[][] expected = gradient.bruteForce(5000);
            assertArrayEquals(expected[0], actual[0], "rows");
            assertArrayEquals(expected[1], actual[1], "columns");
            assertEquals(List.of("0+1047000", "349+1047000", "698+6000", "closed"), calls);
        }
    }

    @Test
    void kBeyondTheUnstoredPositionsTakesThemAllAndNoneOpensNoScan() {
        Gradient gradient = Gradient.random(6, 7, 0.5, 2);
        int unstored = (int) (42 - gradient.storedCount());
        List<String> calls = new ArrayList<>();
        int[][] all = DeviceTopK.select(
                6, 7, gradient.storedCount(), 1000, (blockRows, capacity) -> gradient.scan(calls, false, capacity));
        assertEquals(unstored, all[0].length);
        assertArrayEquals(gradient.bruteForce(unstored)[0], all[0]);

        int[][] none = DeviceTopK.select(6, 7, 42, 5, (blockRows, capacity) -> {
            throw new AssertionError("no scan when every position is stored");
        });
        assertTrue(none[0].length == 0 && none[1].length == 0, Arrays.deepToString(none));
    }
}
