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
            ranks[k] = RunningTopK.rank(Math.abs(values[k]));
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
     * connected now.
     *
     * @throws IllegalArgumentException when a grown position is outside the matrix, connected
     *         already, or given twice
     */
    static RewirePlan of(Connectivity old, int[] dropped, int[][] grown) {
        int rows = old.rows();
        int columns = old.columns();
        int m = grown[0].length;
        long[] grownKeys = new long[m];
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
            if (old.contains(r, c)) {
                throw new IllegalArgumentException(
                        String.format(Locale.ROOT, "grown position %d (%d, %d) is connected already", j, r, c));
            }
            grownKeys[j] = (long) r * columns + c;
        }
        Arrays.sort(grownKeys);
        for (int j = 1; j < m; j++) {
            if (grownKeys[j] == grownKeys[j - 1]) {
                throw new IllegalArgumentException(String.format(
                        Locale.ROOT,
                        "position (%d, %d) is grown twice",
                        grownKeys[j] / columns,
                        grownKeys[j] % columns));
            }
        }
        int nnz = old.nnz() - dropped.length + m;
        int[] rowPointers = new int[rows + 1];
        int[] columnIndices = new int[nnz];
        int[] sources = new int[nnz];
        int out = 0;
        int drop = 0;
        int grow = 0;
        for (int r = 0; r < rows; r++) {
            int k = old.rowStart(r);
            int end = old.rowStart(r + 1);
            long rowStart = (long) r * columns;
            while (true) {
                while (k < end && drop < dropped.length && dropped[drop] == k) {
                    k++;
                    drop++;
                }
                boolean hasOld = k < end;
                boolean hasNew = grow < m && grownKeys[grow] < rowStart + columns;
                if (!hasOld && !hasNew) {
                    break;
                }
                int newColumn = hasNew ? (int) (grownKeys[grow] - rowStart) : Integer.MAX_VALUE;
                if (hasOld && old.column(k) < newColumn) {
                    columnIndices[out] = old.column(k);
                    sources[out++] = k++;
                } else {
                    columnIndices[out] = newColumn;
                    sources[out++] = -1;
                    grow++;
                }
            }
            rowPointers[r + 1] = out;
        }
        return new RewirePlan(Connectivity.fromCsr(rows, columns, rowPointers, columnIndices), sources);
    }
}
