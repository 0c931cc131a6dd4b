package org.sparselinear.backend.cpu;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.SplittableRandom;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class NnzPartitionTest {

    /**
     * Every entry of every row is covered exactly once, either by the part that owns the row or
     * as a tail of a later part, and every row (empty ones too) has exactly one owner.
     */
    @ParameterizedTest(name = "rows={0} parts={1} skew={2} seed={3}")
    @CsvSource({
        "1,1,false,1",
        "1,4,false,2",
        "10,3,false,3",
        "50,7,true,4",
        "200,2,true,5",
        "5,8,false,6",
        "1000,16,true,7",
        "3,2,true,8"
    })
    void coversEveryEntryOnceAndOwnsEveryRowOnce(int rows, int parts, boolean skewed, long seed) {
        SplittableRandom random = new SplittableRandom(seed);
        int[] pointers = new int[rows + 1];
        for (int r = 0; r < rows; r++) {
            int length = random.nextInt(4) == 0 ? 0 : random.nextInt(6);
            if (skewed && r == rows / 2) {
                length = 5000;
            }
            pointers[r + 1] = pointers[r] + length;
        }
        NnzPartition partition = NnzPartition.of(pointers, parts);

        int[] owners = new int[rows];
        int[] covered = new int[pointers[rows]];
        for (int p = 0; p < partition.parts(); p++) {
            for (int r = partition.firstRow(p); r < partition.endRow(p); r++) {
                owners[r]++;
                for (int k = pointers[r]; k < Math.min(pointers[r + 1], partition.entryEnd(p)); k++) {
                    covered[k]++;
                }
            }
            int tail = partition.tailRow(p);
            if (tail >= 0) {
                assertTrue(tail < partition.firstRow(p), "a tail belongs to a row owned by an earlier part");
                for (int k = partition.entryStart(p); k < partition.tailEnd(p); k++) {
                    assertTrue(k >= pointers[tail] && k < pointers[tail + 1], "tail entry " + k + " is in row " + tail);
                    covered[k]++;
                }
            }
        }
        for (int r = 0; r < rows; r++) {
            assertEquals(1, owners[r], "owners of row " + r);
        }
        for (int k = 0; k < covered.length; k++) {
            assertEquals(1, covered[k], "coverage of entry " + k);
        }
        assertEquals(pointers[rows], partition.entryEnd(partition.parts() - 1));
    }
}
