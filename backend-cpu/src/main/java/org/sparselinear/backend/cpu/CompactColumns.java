package org.sparselinear.backend.cpu;

import org.sparselinear.api.Connectivity;

/**
 * The column indices of a CSR pattern in two bytes per entry. Each entry keeps the low
 * {@code lowBits} bits of its column ({@code low}, an unsigned {@code char}); since the columns
 * of a row are sorted, a row splits into segments of equal high part ({@code column >>> lowBits}):
 * segment {@code s} holds the entries {@code [segmentPointers[s], segmentPointers[s + 1])}, whose
 * columns are {@code base(s) + low[k]}, and the segments of a row are
 * {@code [firstSegment(row), endSegment(row))}.
 *
 * <p>A pattern at most 2<sup>16</sup> = 65,536 columns wide has one segment per row: its
 * segment pointers are the row pointers themselves and it keeps no other array. A wider one keeps
 * only its non-empty segments (at most one per entry, and at most {@code ceil(columns / 65536)}
 * per row: 16 for a million inputs): six bytes per segment and four per row. The kernels loop
 * row, segment, entry, so one code path serves both; tests force fewer low bits so that small
 * patterns exercise the segmented case.
 */
final class CompactColumns {

    /** Low bits kept per entry by default: all of a {@code char}. */
    static final int DEFAULT_LOW_BITS = Character.SIZE;

    final int lowBits;
    final char[] low;
    final int[] segmentPointers;
    /** The most entries in one row: the size of a scratch buffer that holds a decoded row. */
    final int longestRow;

    /** The first segment of each row and, last, the segment count; null when each row is one segment. */
    private final int[] rowSegments;
    /** Each segment's high part ({@code column >>> lowBits}); null when each row is one segment. */
    private final char[] highs;

    CompactColumns(Connectivity connectivity, int[] rowPointers, int lowBits) {
        if (lowBits < 1 || lowBits > DEFAULT_LOW_BITS) {
            throw new IllegalArgumentException(
                    "the low bits of a compact column index must be in [1, 16], got " + lowBits);
        }
        int columns = connectivity.columns();
        if (((long) columns - 1) >>> lowBits > Character.MAX_VALUE) {
            throw new IllegalArgumentException("a pattern " + columns + " columns wide needs more than " + lowBits
                    + " low bits per column index (at most 2^16 segments of equal high part)");
        }
        int rows = connectivity.rows();
        int nnz = connectivity.nnz();
        this.lowBits = lowBits;
        this.low = new char[nnz];
        int mask = (1 << lowBits) - 1;
        for (int k = 0; k < nnz; k++) {
            low[k] = (char) (connectivity.column(k) & mask);
        }
        int longest = 0;
        for (int r = 0; r < rows; r++) {
            longest = Math.max(longest, rowPointers[r + 1] - rowPointers[r]);
        }
        this.longestRow = longest;
        if (columns <= 1 << lowBits) {
            this.segmentPointers = rowPointers;
            this.rowSegments = null;
            this.highs = null;
            return;
        }
        this.rowSegments = new int[rows + 1];
        int segments = 0;
        for (int r = 0; r < rows; r++) {
            rowSegments[r] = segments;
            for (int k = rowPointers[r]; k < rowPointers[r + 1]; k++) {
                if (k == rowPointers[r] || high(connectivity.column(k)) != high(connectivity.column(k - 1))) {
                    segments++;
                }
            }
        }
        rowSegments[rows] = segments;
        this.segmentPointers = new int[segments + 1];
        this.highs = new char[segments];
        for (int r = 0, s = 0; r < rows; r++) {
            for (int k = rowPointers[r]; k < rowPointers[r + 1]; k++) {
                if (k == rowPointers[r] || high(connectivity.column(k)) != high(connectivity.column(k - 1))) {
                    segmentPointers[s] = k;
                    highs[s++] = (char) high(connectivity.column(k));
                }
            }
        }
        segmentPointers[segments] = nnz;
    }

    /**
     * Bytes of the encoding of a pattern of {@code rows x columns} with {@code nnz} entries, not
     * counting the row pointers (which one segment per row shares); for a wider pattern, an upper
     * bound: every row is taken to fill as many segments as its width and entries allow.
     */
    static long bytes(int rows, int columns, long nnz, int lowBits) {
        if (columns <= 1L << lowBits) {
            return 2L * nnz;
        }
        long segmentsPerRow = ((long) columns + (1L << lowBits) - 1) >>> lowBits;
        long segments = Math.min(nnz, rows * segmentsPerRow);
        return 2L * nnz + 4L * (rows + 1L) + 6L * segments + 4L;
    }

    /** The first segment of {@code row}. */
    int firstSegment(int row) {
        return rowSegments == null ? row : rowSegments[row];
    }

    /** The segment after the last of {@code row}. */
    int endSegment(int row) {
        return rowSegments == null ? row + 1 : rowSegments[row + 1];
    }

    /** The first of the entries {@code [start, ...)} in segment {@code s}. */
    int segmentStart(int s, int start) {
        return Math.max(start, segmentPointers[s]);
    }

    /** The end of the entries {@code [..., end)} in segment {@code s}. */
    int segmentEnd(int s, int end) {
        return Math.min(end, segmentPointers[s + 1]);
    }

    /** The column of segment {@code s} whose low part is zero: its entries' columns are {@code base(s) + low[k]}. */
    int base(int s) {
        return highs == null ? 0 : highs[s] << lowBits;
    }

    /**
     * Writes the columns of the entries {@code [start, end)} of {@code row} into
     * {@code columns[0 : end - start]}.
     */
    void decode(int row, int start, int end, int[] columns) {
        for (int s = firstSegment(row), last = endSegment(row); s < last; s++) {
            int base = base(s);
            for (int k = segmentStart(s, start), to = segmentEnd(s, end); k < to; k++) {
                columns[k - start] = base + low[k];
            }
        }
    }

    private int high(int column) {
        return column >>> lowBits;
    }
}
