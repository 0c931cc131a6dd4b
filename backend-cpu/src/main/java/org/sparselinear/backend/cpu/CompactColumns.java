package org.sparselinear.backend.cpu;

import org.sparselinear.api.Connectivity;

/**
 * The column indices of a CSR pattern in two bytes per entry. Each entry keeps the low
 * {@code lowBits} bits of its column ({@code low}, an unsigned {@code char}); since the columns
 * of a row are sorted, a row splits into {@code segmentsPerRow} segments of equal high part
 * ({@code column >>> lowBits}), and segment {@code s = row * segmentsPerRow + h} holds the
 * entries {@code [segmentPointers[s], segmentPointers[s + 1])}, whose columns are
 * {@code (h << lowBits) + low[k]}.
 *
 * <p>A pattern at most 2<sup>16</sup> = 65,536 columns wide has one segment per row: its
 * segment pointers are the row pointers themselves and cost nothing. A wider one (a million
 * inputs: 16 segments per row) adds {@code 4 * segmentsPerRow} bytes per row. The kernels loop
 * row, segment, entry ({@link #segmentStart}, {@link #segmentEnd}, {@link #base}), so one
 * code path serves both; tests force fewer low bits so that small patterns exercise the
 * segmented case.
 */
final class CompactColumns {

    /** Low bits kept per entry by default: all of a {@code char}. */
    static final int DEFAULT_LOW_BITS = Character.SIZE;

    final int lowBits;
    final int segmentsPerRow;
    final int[] segmentPointers;
    final char[] low;
    /** The most entries in one row: the size of a scratch buffer that holds a decoded row. */
    final int longestRow;

    CompactColumns(Connectivity connectivity, int[] rowPointers, int lowBits) {
        if (lowBits < 1 || lowBits > DEFAULT_LOW_BITS) {
            throw new IllegalArgumentException(
                    "the low bits of a compact column index must be in [1, 16], got " + lowBits);
        }
        int rows = connectivity.rows();
        int nnz = connectivity.nnz();
        this.lowBits = lowBits;
        this.segmentsPerRow = segmentsPerRow(connectivity.columns(), lowBits);
        this.low = new char[nnz];
        int mask = (1 << lowBits) - 1;
        for (int k = 0; k < nnz; k++) {
            low[k] = (char) (connectivity.column(k) & mask);
        }
        this.segmentPointers = segmentsPerRow == 1 ? rowPointers : segmentPointers(connectivity, rowPointers);
        int longest = 0;
        for (int r = 0; r < rows; r++) {
            longest = Math.max(longest, rowPointers[r + 1] - rowPointers[r]);
        }
        this.longestRow = longest;
    }

    /**
     * Bytes of the encoding of a pattern of {@code rows x columns} with {@code nnz} entries, not
     * counting the row pointers (which one segment per row shares).
     */
    static long bytes(int rows, int columns, long nnz, int lowBits) {
        int segments = segmentsPerRow(columns, lowBits);
        return 2L * nnz + (segments == 1 ? 0L : 4L * ((long) rows * segments + 1L));
    }

    /** The first of the entries {@code [start, ...)} of {@code row} in its segment {@code h}. */
    int segmentStart(int row, int h, int start) {
        return Math.max(start, segmentPointers[row * segmentsPerRow + h]);
    }

    /** The end of the entries {@code [..., end)} of {@code row} in its segment {@code h}. */
    int segmentEnd(int row, int h, int end) {
        return Math.min(end, segmentPointers[row * segmentsPerRow + h + 1]);
    }

    /** The column of the entries of segment {@code h} (counted within its row) whose low part is zero. */
    int base(int h) {
        return h << lowBits;
    }

    /**
     * Writes the columns of the entries {@code [start, end)} of {@code row} into
     * {@code columns[0 : end - start]}.
     */
    void decode(int row, int start, int end, int[] columns) {
        for (int h = 0; h < segmentsPerRow; h++) {
            int base = base(h);
            for (int k = segmentStart(row, h, start), to = segmentEnd(row, h, end); k < to; k++) {
                columns[k - start] = base + low[k];
            }
        }
    }

    private static int segmentsPerRow(int columns, int lowBits) {
        return (int) (((long) columns + (1L << lowBits) - 1) >>> lowBits);
    }

    private int[] segmentPointers(Connectivity connectivity, int[] rowPointers) {
        int rows = connectivity.rows();
        long count = (long) rows * segmentsPerRow + 1;
        if (count > Integer.MAX_VALUE - 8) {
            throw new IllegalArgumentException("a pattern of " + rows + " rows and " + connectivity.columns()
                    + " columns needs " + count + " segment pointers with " + lowBits
                    + " low bits per column index, more than a Java array holds; use more low bits");
        }
        int[] pointers = new int[(int) count];
        for (int r = 0; r < rows; r++) {
            int k = rowPointers[r];
            for (int h = 0; h < segmentsPerRow; h++) {
                pointers[r * segmentsPerRow + h] = k;
                long limit = (long) (h + 1) << lowBits;
                while (k < rowPointers[r + 1] && connectivity.column(k) < limit) {
                    k++;
                }
            }
        }
        pointers[rows * segmentsPerRow] = rowPointers[rows];
        return pointers;
    }
}
