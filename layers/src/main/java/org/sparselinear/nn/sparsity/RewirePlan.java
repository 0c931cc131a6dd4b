package org.sparselinear.nn.sparsity;

import java.util.Arrays;
import java.util.Locale;
import org.sparselinear.api.Connectivity;
import org.sparselinear.spi.RankSelection;
import org.sparselinear.spi.RunningTopK;

/**
 * A drop-and-grow step turned into a new pattern: the connections at {@code dropped} go, the
 * positions in {@code grown} come, everything else stays; nnz is unchanged when both have the same
 * size. {@link #sourcePositions} maps each new connection to its old position, or -1 for a grown one,
 * as {@link org.sparselinear.api.RewirableLayer#rewire} takes it.
 *
 * @param connectivity the new pattern, sorted row-major
 * @param sourcePositions old position of each new connection, -1 for a grown one
 */
record RewirePlan(Connectivity connectivity, int[] sourcePositions) {

    /**
     * The positions of the {@code count} smallest magnitudes of {@code values}, ascending: ties go
     * to the lower position, a NaN value counts as the smallest (a diverged weight goes first).
     * A partial selection in linear time: the {@code count}-th smallest rank first
     * ({@link RankSelection}), then one ascending pass keeping the values below it and, of those
     * equal to it, the first ones.
     */
    static int[] smallestMagnitudes(float[] values, int count) {
        if (count < 0 || count > values.length) {
            throw new IllegalArgumentException(
                    "cannot drop " + count + " of " + values.length + " connections; expected 0 to " + values.length);
        }
        int[] positions = new int[count];
        if (count == 0) {
            return positions;
        }
        int[] ranks = new int[values.length];
        for (int k = 0; k < values.length; k++) {
            ranks[k] = RunningTopK.rankOfMagnitude(values[k]);
        }
        int threshold = RankSelection.kthSmallest(ranks, ranks.length, count);
        int tiesToKeep = count;
        for (int rank : ranks) {
            if (rank < threshold) {
                tiesToKeep--;
            }
        }
        for (int k = 0, next = 0; next < count; k++) {
            if (ranks[k] < threshold || (ranks[k] == threshold && tiesToKeep-- > 0)) {
                positions[next++] = k;
            }
        }
        return positions;
    }

    /**
     * The pattern without the connections at the ascending positions {@code dropped} and with the
     * positions {@code grown} ({@code (2, m)}: rows, then columns; any order), which must not be
     * connected now (dropped or not).
     *
     * <p>The grown positions are sorted row-major by a radix sort ({@link #grownByRow}), then merged
     * with each old row, the kept connections copied without a branch on whether they are dropped,
     * in one pass that also finds a grown position that is connected already: linear in the
     * connections, the grown positions and the width, where a comparison sort of the grown
     * positions and a binary search for each (RigL grows up to 30 % of the connections at its
     * first steps) cost a logarithmic factor on millions.
     *
     * @throws IllegalArgumentException when a grown position is outside the matrix, connected
     *         already, or given twice
     */
    static RewirePlan of(Connectivity old, int[] dropped, int[][] grown) {
        int rows = old.rows();
        int columns = old.columns();
        int[] grownStart = new int[rows + 1];
        int[] grownColumns = grownByRow(grown, rows, columns, grownStart);
        int nnz = old.nnz() - dropped.length + grownColumns.length;
        int[] rowPointers = new int[rows + 1];
        int[] columnIndices = new int[nnz];
        int[] sources = new int[nnz];
        byte[] kept = new byte[old.nnz()];
        Arrays.fill(kept, (byte) 1);
        for (int k : dropped) {
            kept[k] = 0;
        }
        int out = 0;
        for (int r = 0; r < rows; r++) {
            int k = old.rowStart(r);
            int end = old.rowStart(r + 1);
            // The row's grown columns, then a sentinel above every column that flushes the rest of the row.
            for (int g = grownStart[r]; g <= grownStart[r + 1]; g++) {
                int column = g < grownStart[r + 1] ? grownColumns[g] : Integer.MAX_VALUE;
                // Each old connection is written and the end moved by its 0/1 mark, without a branch on
                // it (RigL drops a quarter of the connections at its first steps, too many to predict);
                // past the last new connection only dropped ones remain, and are not written.
                for (; k < end && old.column(k) < column; k++) {
                    if (out < nnz) {
                        columnIndices[out] = old.column(k);
                        sources[out] = k;
                    }
                    out += kept[k];
                }
                if (g == grownStart[r + 1]) {
                    break;
                }
                if (k < end && old.column(k) == column) {
                    throw new IllegalArgumentException(String.format(
                            Locale.ROOT,
                            "grown position %d (%d, %d) is connected already",
                            indexOf(grown, r, column),
                            r,
                            column));
                }
                if (g > grownStart[r] && grownColumns[g - 1] == column) {
                    throw new IllegalArgumentException(
                            String.format(Locale.ROOT, "position (%d, %d) is grown twice", r, column));
                }
                columnIndices[out] = column;
                sources[out++] = -1;
            }
            rowPointers[r + 1] = out;
        }
        return new RewirePlan(Connectivity.fromCsr(rows, columns, rowPointers, columnIndices), sources);
    }

    /**
     * The columns of the grown positions, bucketed by row and ascending within each row; the
     * bucket of row {@code r} is {@code [rowStart[r], rowStart[r + 1])}, which this fills. A radix
     * sort, by column and then stably by row: two counting passes, where sorting each row's
     * columns costs a logarithmic factor on the million positions of RigL's first steps.
     */
    private static int[] grownByRow(int[][] grown, int rows, int columns, int[] rowStart) {
        int m = grown[0].length;
        for (int j = 0; j < m; j++) {
            int r = grown[0][j];
            int c = grown[1][j];
            if (r < 0 || r >= rows || c < 0 || c >= columns) {
                throw new IllegalArgumentException(String.format(
                        Locale.ROOT,
                        "grown position %d (%d, %d) is outside the (%d, %d) weight",
                        j,
                        r,
                        c,
                        rows,
                        columns));
            }
            rowStart[r + 1]++;
        }
        for (int r = 0; r < rows; r++) {
            rowStart[r + 1] += rowStart[r];
        }
        int[] columnStart = new int[columns + 1];
        for (int j = 0; j < m; j++) {
            columnStart[grown[1][j] + 1]++;
        }
        for (int c = 0; c < columns; c++) {
            columnStart[c + 1] += columnStart[c];
        }
        int[] byColumn = new int[m];
        for (int j = 0; j < m; j++) {
            byColumn[columnStart[grown[1][j]]++] = j;
        }
        int[] next = Arrays.copyOf(rowStart, rows);
        int[] byRow = new int[m];
        for (int j : byColumn) {
            byRow[next[grown[0][j]]++] = grown[1][j];
        }
        return byRow;
    }

    /** The index of the first grown position {@code (row, column)}, for an error message. */
    private static int indexOf(int[][] grown, int row, int column) {
        int j = 0;
        while (grown[0][j] != row || grown[1][j] != column) {
            j++;
        }
        return j;
    }
}
