package org.sparselinear.api;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import java.util.SplittableRandom;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.function.Executable;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.sparselinear.spi.TransposeMap;

class ConnectivityTest {

    /** A 3 x 4 pattern: row 0 has columns 1 and 3, row 1 none, row 2 columns 0, 2 and 3. */
    private static Connectivity sample() {
        return Connectivity.fromCsr(3, 4, new int[] {0, 2, 2, 5}, new int[] {1, 3, 0, 2, 3});
    }

    @Test
    void fromCsrKeepsThePattern() {
        Connectivity c = sample();
        assertEquals(3, c.rows());
        assertEquals(4, c.columns());
        assertEquals(5, c.nnz());
        assertEquals(2, c.rowStart(1));
        assertEquals(2, c.rowStart(2));
        assertEquals(5, c.rowStart(3));
        assertEquals(3, c.column(1));
        assertEquals(0, c.column(2));
    }

    @Test
    void fromCsrCopiesItsInputAndAccessorsReturnCopies() {
        int[] rowPointers = {0, 1, 2};
        int[] columnIndices = {0, 1};
        Connectivity c = Connectivity.fromCsr(2, 2, rowPointers, columnIndices);
        rowPointers[1] = 0;
        columnIndices[0] = 1;
        assertTrue(c.contains(0, 0));
        c.rowPointers()[1] = 2;
        c.columnIndices()[1] = 0;
        assertArrayEquals(new int[] {0, 1, 2}, c.rowPointers());
        assertArrayEquals(new int[] {0, 1}, c.columnIndices());
    }

    @Test
    void fromCsrRejectsBadDimensions() {
        assertMessage(
                () -> Connectivity.fromCsr(0, 4, new int[] {0}, new int[0]),
                "rows (output features) must be positive, got 0");
        assertMessage(
                () -> Connectivity.fromCsr(2, -1, new int[] {0, 0, 0}, new int[0]),
                "columns (input features) must be positive, got -1");
    }

    @Test
    void fromCsrRejectsRowPointersOfTheWrongLength() {
        assertMessage(
                () -> Connectivity.fromCsr(3, 4, new int[] {0, 2, 5}, new int[] {1, 3, 0, 2, 3}),
                "rowPointers must have rows + 1 = 4 entries, got 3");
    }

    @Test
    void fromCsrRejectsRowPointersNotFromZeroToNnz() {
        assertMessage(
                () -> Connectivity.fromCsr(2, 4, new int[] {1, 1, 2}, new int[] {0, 1}),
                "rowPointers must run from 0 to nnz = 2, got 1 to 2");
        assertMessage(
                () -> Connectivity.fromCsr(2, 4, new int[] {0, 1, 3}, new int[] {0, 1}),
                "rowPointers must run from 0 to nnz = 2, got 0 to 3");
    }

    @Test
    void fromCsrRejectsDecreasingRowPointers() {
        assertMessage(
                () -> Connectivity.fromCsr(3, 4, new int[] {0, 2, 1, 2}, new int[] {0, 1}),
                "rowPointers must not decrease",
                "entry 2 is 1 after 2");
    }

    @Test
    void fromCsrRejectsColumnsOutOfRange() {
        assertMessage(
                () -> Connectivity.fromCsr(2, 4, new int[] {0, 1, 2}, new int[] {0, 4}),
                "connection 1 (row 1) has column 4, expected [0, 4)");
        assertMessage(
                () -> Connectivity.fromCsr(1, 4, new int[] {0, 1}, new int[] {-1}),
                "connection 0 (row 0) has column -1, expected [0, 4)");
    }

    @Test
    void fromCsrRejectsDuplicatesAndDisorderWithinARow() {
        assertMessage(
                () -> Connectivity.fromCsr(1, 4, new int[] {0, 3}, new int[] {0, 2, 2}),
                "connection 2 (row 0, column 2) is a duplicate or out of order");
        assertMessage(
                () -> Connectivity.fromCsr(1, 4, new int[] {0, 2}, new int[] {3, 1}),
                "connection 1 (row 0, column 1) is a duplicate or out of order");
    }

    @Test
    void fromCsrAllowsTheSameColumnInDifferentRowsAndNoConnections() {
        Connectivity c = Connectivity.fromCsr(2, 2, new int[] {0, 1, 2}, new int[] {1, 1});
        assertTrue(c.contains(0, 1) && c.contains(1, 1));
        assertEquals(0, Connectivity.fromCsr(3, 3, new int[4], new int[0]).nnz());
    }

    @Test
    void fromCsrRejectsNullArrays() {
        assertThrows(NullPointerException.class, () -> Connectivity.fromCsr(1, 1, null, new int[0]));
        assertThrows(NullPointerException.class, () -> Connectivity.fromCsr(1, 1, new int[2], null));
    }

    @Test
    void ofTrustedCsrChecksTheCheapInvariants() {
        assertEquals(sample(), Connectivity.ofTrustedCsr(3, 4, new int[] {0, 2, 2, 5}, new int[] {1, 3, 0, 2, 3}));
        assertMessage(
                () -> Connectivity.ofTrustedCsr(3, 4, new int[] {0, 2, 5}, new int[] {1, 3, 0, 2, 3}),
                "rowPointers must have rows + 1 = 4 entries, got 3");
        assertMessage(
                () -> Connectivity.ofTrustedCsr(2, 4, new int[] {0, 2, 4}, new int[] {1, 3, 0}),
                "row pointers run from 0 to 4 for 3 connections");
    }

    @Test
    void fromCooSortsRowMajor() {
        int[][] indices = {{2, 0, 2, 2, 0}, {3, 3, 0, 2, 1}};
        assertEquals(sample(), Connectivity.fromCoo(3, 4, indices));
    }

    @Test
    void fromCooDoesNotKeepTheInput() {
        int[][] indices = {{0, 1}, {1, 0}};
        Connectivity c = Connectivity.fromCoo(2, 2, indices);
        indices[1][0] = 0;
        assertTrue(c.contains(0, 1));
        assertFalse(c.contains(0, 0));
    }

    @Test
    void fromCooNamesTheFirstDuplicateWithBothPositions() {
        int[][] indices = {{0, 1, 2, 1, 1}, {0, 2, 1, 2, 2}};
        assertMessage(
                () -> Connectivity.fromCoo(3, 3, indices),
                "connection 3 duplicates connection 1: both are (row 1, column 2); each connection may appear once");
    }

    @Test
    void fromCooNamesTheFirstDuplicateInInputOrderNotInSortedOrder() {
        // (1, 1) repeats at entry 2 before (0, 0) repeats at entry 3, although (0, 0) sorts first.
        int[][] indices = {{1, 0, 1, 0}, {1, 0, 1, 0}};
        assertMessage(
                () -> Connectivity.fromCoo(2, 2, indices),
                "connection 2 duplicates connection 0: both are (row 1, column 1)");
    }

    @Test
    void fromCooNamesTheFirstIndexOutOfRange() {
        assertMessage(
                () -> Connectivity.fromCoo(3, 4, new int[][] {{0, 3, 5}, {0, 0, 0}}),
                "connection 1: row (output) index 3 is out of range [0, 3)");
        assertMessage(
                () -> Connectivity.fromCoo(3, 4, new int[][] {{0, 1}, {0, 4}}),
                "connection 1: column (input) index 4 is out of range [0, 4)");
        assertMessage(
                () -> Connectivity.fromCoo(3, 4, new int[][] {{0, -1}, {0, 0}}),
                "connection 1: row (output) index -1 is out of range [0, 3)");
        assertMessage(
                () -> Connectivity.fromCoo(3, 4, new int[][] {{0, 0, 0}, {1, 2, -7}}),
                "connection 2: column (input) index -7 is out of range [0, 4)");
    }

    @Test
    void fromCooRejectsAWrongShape() {
        assertMessage(() -> Connectivity.fromCoo(3, 4, new int[][] {{0}, {0}, {0}}), "shape (2, nnz)", "got 3 rows");
        assertMessage(() -> Connectivity.fromCoo(3, 4, new int[][] {{0}, null}), "shape (2, nnz)");
        assertMessage(
                () -> Connectivity.fromCoo(3, 4, new int[][] {{0, 1}, {0}}),
                "rows of equal length, got 2 row indices and 1 column indices");
        assertThrows(NullPointerException.class, () -> Connectivity.fromCoo(3, 4, null));
    }

    @Test
    void toCooRoundTrips() {
        Connectivity c = sample();
        int[][] coo = c.toCoo();
        assertArrayEquals(new int[] {0, 0, 2, 2, 2}, coo[0]);
        assertArrayEquals(new int[] {1, 3, 0, 2, 3}, coo[1]);
        assertEquals(c, Connectivity.fromCoo(3, 4, coo));
        assertArrayEquals(
                new int[][] {{}, {}},
                Connectivity.fromCoo(2, 2, new int[][] {{}, {}}).toCoo());
    }

    @Test
    void containsFindsExactlyTheConnections() {
        Connectivity c = sample();
        boolean[][] expected = {
            {false, true, false, true},
            {false, false, false, false},
            {true, false, true, true},
        };
        for (int r = 0; r < 3; r++) {
            for (int col = 0; col < 4; col++) {
                assertEquals(expected[r][col], c.contains(r, col), "(" + r + ", " + col + ")");
            }
        }
        assertThrows(IndexOutOfBoundsException.class, () -> c.contains(0, 7));
        assertThrows(IndexOutOfBoundsException.class, () -> c.contains(3, 0));
    }

    @Test
    void sparsityIsTheFractionAbsent() {
        assertEquals(1 - 5 / 12.0, sample().sparsity(), 1e-12);
        assertEquals(1.0, Connectivity.fromCsr(2, 2, new int[3], new int[0]).sparsity());
        assertEquals(
                0.0, Connectivity.fromCoo(1, 2, new int[][] {{0, 0}, {1, 0}}).sparsity());
        assertEquals(
                1 - 1e-10,
                Connectivity.fromCoo(100_000, 100_000, new int[][] {{5}, {7}}).sparsity(),
                1e-16);
    }

    @Test
    void equalityIsByShapeAndPattern() {
        assertEquals(sample(), sample());
        assertEquals(sample().hashCode(), sample().hashCode());
        assertNotEquals(sample(), Connectivity.fromCsr(3, 5, new int[] {0, 2, 2, 5}, new int[] {1, 3, 0, 2, 3}));
        assertNotEquals(sample(), Connectivity.fromCsr(3, 4, new int[] {0, 2, 3, 5}, new int[] {1, 3, 0, 2, 3}));
        assertNotEquals(
                Connectivity.fromCsr(1, 4, new int[] {0, 0}, new int[0]),
                Connectivity.fromCsr(4, 1, new int[5], new int[0]));
    }

    @Test
    void toStringShowsShapeAndSparsity() {
        assertEquals("Connectivity(rows=3, columns=4, nnz=5, sparsity=0.5833)", sample().toString());
    }

    private static void assertMessage(Executable call, String... expected) {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, call);
        for (String part : expected) {
            assertTrue(e.getMessage().contains(part), () -> "expected '" + part + "' in: " + e.getMessage());
        }
    }

    @Test
    void transposeMapListsEachColumnsEntriesWithTheirCsrPositions() {
        // Rows: 0 -> {1, 3}, 1 -> {}, 2 -> {0, 1}; columns: 0 -> {row 2}, 1 -> {rows 0, 2}, 2 -> {}, 3 -> {row 0}.
        Connectivity c = Connectivity.fromCsr(3, 4, new int[] {0, 2, 2, 4}, new int[] {1, 3, 0, 1});
        TransposeMap t = c.transposeMap();
        org.junit.jupiter.api.Assertions.assertArrayEquals(new int[] {0, 1, 3, 3, 4}, t.columnPointers());
        org.junit.jupiter.api.Assertions.assertArrayEquals(new int[] {2, 0, 2, 0}, t.rowIndices());
        org.junit.jupiter.api.Assertions.assertArrayEquals(new int[] {2, 0, 3, 1}, t.valuePositions());
        org.junit.jupiter.api.Assertions.assertArrayEquals(new int[] {0, 0, 2, 2}, c.entryRows());
    }

    /** The column form is a stable sort of the connections by column, at any width and with empty rows. */
    @ParameterizedTest
    @ValueSource(ints = {1, 100, 16_384, 16_385, 65_536, 100_003})
    void transposeMapMatchesAStableSortByColumnAtEveryWidth(int columns) {
        assertStableSortByColumn(randomPattern(40, columns, 0.2, new SplittableRandom(columns)));
    }

    /** A pattern of over a million connections, whose column form is built by several threads, in parts by rows. */
    @Test
    void aLargePatternsColumnFormIsTheSameStableSort() {
        Connectivity c = randomPattern(401, 40_000, 0.2, new SplittableRandom(7));
        assertTrue(c.nnz() > 1 << 20, "large enough to be split: " + c.nnz());
        assertStableSortByColumn(c);
    }

    @Test
    void rowOfEveryConnectionIsItsEntryRowPastEmptyRows() {
        Connectivity leadingEmpty = Connectivity.fromCsr(4, 3, new int[] {0, 0, 0, 2, 3}, new int[] {0, 2, 1});
        assertArrayEquals(
                new int[] {2, 2, 3},
                IntStream.range(0, 3).map(leadingEmpty::rowOf).toArray());
        Connectivity c = randomPattern(40, 1000, 0.2, new SplittableRandom(11));
        assertArrayEquals(
                c.entryRows(), IntStream.range(0, c.nnz()).map(c::rowOf).toArray());
        assertThrows(IndexOutOfBoundsException.class, () -> c.rowOf(c.nnz()));
        assertThrows(IndexOutOfBoundsException.class, () -> c.rowOf(-1));
    }

    /** Rows of random density below {@code maxDensity}, every seventh row empty. */
    private static Connectivity randomPattern(int rows, int columns, double maxDensity, SplittableRandom random) {
        int[] rowPointers = new int[rows + 1];
        int[] chosen = new int[16];
        int nnz = 0;
        for (int r = 0; r < rows; r++) {
            double density = r % 7 == 3 ? 0 : maxDensity * random.nextDouble();
            for (int c = 0; c < columns; c++) {
                if (random.nextDouble() < density) {
                    if (nnz == chosen.length) {
                        chosen = Arrays.copyOf(chosen, 2 * nnz);
                    }
                    chosen[nnz++] = c;
                }
            }
            rowPointers[r + 1] = nnz;
        }
        return Connectivity.fromCsr(rows, columns, rowPointers, Arrays.copyOf(chosen, nnz));
    }

    /** Compares the transpose map with the connections sorted by (column, position), which is stable by row. */
    private static void assertStableSortByColumn(Connectivity c) {
        long[] keys = new long[c.nnz()];
        int[] expectedPointers = new int[c.columns() + 1];
        for (int k = 0; k < keys.length; k++) {
            keys[k] = (long) c.column(k) << 32 | k;
            expectedPointers[c.column(k) + 1]++;
        }
        Arrays.sort(keys);
        Arrays.parallelPrefix(expectedPointers, Integer::sum);
        int[] entryRows = c.entryRows();
        int[] byColumn = Arrays.stream(keys).mapToInt(key -> (int) key).toArray();

        TransposeMap t = c.transposeMap();

        assertArrayEquals(expectedPointers, t.columnPointers());
        assertArrayEquals(byColumn, t.valuePositions());
        assertArrayEquals(Arrays.stream(byColumn).map(k -> entryRows[k]).toArray(), t.rowIndices());
    }

    @ParameterizedTest
    @ValueSource(longs = {1, 2, 3})
    void transposedHoldsEveryConnectionTheOtherWayRound(long seed) {
        SplittableRandom random = new SplittableRandom(seed);
        int rows = 17;
        int columns = 29;
        int[] rowIndex = random.ints(120, 0, rows).toArray();
        int[] columnIndex = random.ints(120, 0, columns).toArray();
        long[] unique = IntStream.range(0, 120)
                .mapToLong(k -> (long) rowIndex[k] * columns + columnIndex[k])
                .distinct()
                .toArray();
        int[][] coo = {
            Arrays.stream(unique).mapToInt(p -> (int) (p / columns)).toArray(),
            Arrays.stream(unique).mapToInt(p -> (int) (p % columns)).toArray()
        };
        Connectivity pattern = Connectivity.fromCoo(rows, columns, coo);

        Connectivity transposed = pattern.transposed();

        assertEquals(Connectivity.fromCoo(columns, rows, new int[][] {coo[1], coo[0]}), transposed);
        assertEquals(pattern, transposed.transposed(), "transposing twice gives the pattern back");
    }
}
