package org.sparselinear.backend.cpu;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.sparselinear.api.Connectivity;

class CompactColumnsTest {

    @Test
    void decodesEveryRowAndEveryPartOfARow() {
        for (int lowBits : new int[] {1, 5, 16}) {
            for (int columns : new int[] {1, 7, 200, 70_000, 1_000_000}) {
                if (lowBits == 1 && columns > 70_000) {
                    continue; // more than 2^16 segments of two columns: rejected, see below
                }
                Connectivity pattern = randomPattern(9, columns, 40, lowBits * 31L + columns);
                int[] rowPointers = pattern.rowPointers();
                CompactColumns compact = new CompactColumns(pattern, rowPointers, lowBits);
                int[] scratch = new int[compact.longestRow];
                for (int r = 0; r < pattern.rows(); r++) {
                    int start = rowPointers[r];
                    int end = rowPointers[r + 1];
                    compact.decode(r, start, end, scratch);
                    assertArrayEquals(
                            Arrays.copyOfRange(pattern.columnIndices(), start, end),
                            Arrays.copyOf(scratch, end - start),
                            "row " + r + " of a pattern " + columns + " wide, " + lowBits + " low bits");
                    int middle = (start + end) / 2;
                    compact.decode(r, middle, end, scratch);
                    assertArrayEquals(
                            Arrays.copyOfRange(pattern.columnIndices(), middle, end),
                            Arrays.copyOf(scratch, end - middle));
                }
            }
        }
    }

    @Test
    void segmentsCoverTheirRowsInOrderWithTheirBases() {
        Connectivity pattern = randomPattern(6, 40, 30, 7);
        int[] rowPointers = pattern.rowPointers();
        CompactColumns compact = new CompactColumns(pattern, rowPointers, 3);
        for (int r = 0; r < pattern.rows(); r++) {
            int next = rowPointers[r];
            int previousBase = -1;
            for (int s = compact.firstSegment(r); s < compact.endSegment(r); s++) {
                int from = compact.segmentStart(s, rowPointers[r]);
                int to = compact.segmentEnd(s, rowPointers[r + 1]);
                assertEquals(next, from, "segments follow each other in row " + r);
                assertTrue(from < to, "only non-empty segments are kept");
                assertTrue(compact.base(s) > previousBase, "bases rise along row " + r);
                for (int k = from; k < to; k++) {
                    assertEquals(pattern.column(k), compact.base(s) + compact.low[k]);
                    assertEquals(compact.base(s), pattern.column(k) & ~7, "a segment spans eight columns");
                }
                previousBase = compact.base(s);
                next = to;
            }
            assertEquals(rowPointers[r + 1], next, "the segments of row " + r + " reach its end");
        }
        assertEquals(compact.firstSegment(1), compact.endSegment(1), "row 1 is empty: no segment");
    }

    @Test
    void aLayerAtMost65536WideKeepsNoSegmentPointersOfItsOwn() {
        Connectivity pattern = randomPattern(20, 65_536, 50, 3);
        int[] rowPointers = pattern.rowPointers();
        CompactColumns compact = new CompactColumns(pattern, rowPointers, CompactColumns.DEFAULT_LOW_BITS);
        assertSame(rowPointers, compact.segmentPointers);
        assertEquals(2L * pattern.nnz(), CompactColumns.bytes(20, 65_536, pattern.nnz(), 16));
    }

    @Test
    void patternBytesCountTwoBytesPerConnectionAndTheSegmentPointersOfWideLayers() {
        CpuBackend backend = new CpuBackend(1, false);
        try {
            assertEquals(4L * 20_001 + 2L * 4_000_000, backend.patternBytes(20_000, 20_000, 4_000_000));
            long wide = backend.patternBytes(1_000_000, 1_000_000, 100_000_000L);
            // Row pointers, low parts, then the segments: at most 16 per row, 6 bytes each, and their row index.
            long segments = 4L * 1_000_001 + 6L * 16_000_000 + 4;
            assertEquals(4L * 1_000_001 + 2L * 100_000_000 + segments, wide);
            assertTrue(wide < 3.1 * 100_000_000, "about three bytes per connection at 100 per row");
            long sparseRows = backend.patternBytes(1_000_000, 100_000_000, 5_000_000L);
            assertEquals(
                    4L * 1_000_001 + 2L * 5_000_000 + 4L * 1_000_001 + 6L * 5_000_000 + 4,
                    sparseRows,
                    "no more segments than entries, however wide the layer");
        } finally {
            backend.close();
        }
    }

    @Test
    void rejectsLowBitsOutsideAChar() {
        Connectivity pattern = randomPattern(2, 10, 3, 1);
        IllegalArgumentException e = assertThrows(
                IllegalArgumentException.class, () -> new CompactColumns(pattern, pattern.rowPointers(), 17));
        assertTrue(e.getMessage().contains("[1, 16], got 17"), e.getMessage());
    }

    @Test
    void rejectsTooFewLowBitsForTheWidth() {
        Connectivity pattern = randomPattern(2, 1 << 20, 3, 1);
        IllegalArgumentException e = assertThrows(
                IllegalArgumentException.class, () -> new CompactColumns(pattern, pattern.rowPointers(), 2));
        assertTrue(e.getMessage().contains("1048576 columns wide needs more than 2 low bits"), e.getMessage());
    }

    /** {@code rows} rows of up to {@code perRow} distinct sorted columns each (some empty). */
    private static Connectivity randomPattern(int rows, int columns, int perRow, long seed) {
        SplittableRandom random = new SplittableRandom(seed);
        int[] pointers = new int[rows + 1];
        int[][] rowColumns = new int[rows][];
        for (int r = 0; r < rows; r++) {
            int count = r == 1 ? 0 : random.nextInt(Math.min(perRow, columns) + 1);
            rowColumns[r] =
                    random.ints(0, columns).distinct().limit(count).sorted().toArray();
            pointers[r + 1] = pointers[r] + rowColumns[r].length;
        }
        int[] indices = new int[pointers[rows]];
        for (int r = 0; r < rows; r++) {
            System.arraycopy(rowColumns[r], 0, indices, pointers[r], rowColumns[r].length);
        }
        return Connectivity.fromCsr(rows, columns, pointers, indices);
    }
}
