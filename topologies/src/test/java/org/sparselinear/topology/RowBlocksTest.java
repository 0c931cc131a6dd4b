package org.sparselinear.topology;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.sparselinear.topology.ConnectivityAssertions.assertValid;

import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.sparselinear.api.Connectivity;

class RowBlocksTest {

    /** Row r holds the columns 0 .. r % 7 when its coin lands heads; expects nothing, to force buffer growth. */
    private static final class Staircase implements RowBlocks.RowSampler {

        @Override
        public double expectedLength(int row) {
            return 0;
        }

        @Override
        public void appendRow(int row, SplittableRandom random, ColumnBuffer columns) {
            if (random.nextBoolean()) {
                for (int c = 0; c <= row % 7; c++) {
                    columns.add(c);
                }
            }
        }
    }

    @Test
    void rowsOfManyBlocksLandInPlace() {
        int rows = 3 * RowBlocks.BLOCK_ROWS + 5;
        Connectivity c = RowBlocks.generate(rows, 7, 1, Staircase::new);
        assertValid(c, 7, rows);
        int full = 0;
        for (int r = 0; r < rows; r++) {
            int length = c.rowStart(r + 1) - c.rowStart(r);
            if (length > 0) {
                assertEquals(r % 7 + 1, length, "row " + r);
                full++;
            }
        }
        assertEquals(rows / 2.0, full, 4 * Math.sqrt(rows / 4.0), "about half the rows drew heads");
        assertEquals(c, RowBlocks.generate(rows, 7, 1, Staircase::new));
        assertNotEquals(c, RowBlocks.generate(rows, 7, 2, Staircase::new));
    }

    @Test
    void reverseAndAddAllKeepOrder() {
        ColumnBuffer buffer = new ColumnBuffer(0);
        buffer.add(9);
        for (int c = 5; c >= 1; c--) {
            buffer.add(c);
        }
        buffer.reverseFrom(1);
        buffer.addAll(new int[] {6, 7, 8}, 2);
        int[] copied = new int[buffer.size() + 1];
        buffer.copyTo(copied, 1);
        assertEquals("[0, 9, 1, 2, 3, 4, 5, 6, 7]", java.util.Arrays.toString(copied));
    }
}
