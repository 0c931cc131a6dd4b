package org.sparselinear.backend.cpu;

/**
 * Splits a compressed pattern (CSR rows, or CSC columns) into parts of equal numbers of stored
 * entries, not of rows, so that a skewed pattern (one very dense row) still keeps every thread
 * busy. This is the merge-based decomposition of Merrill and Garland, "Merge-based parallel
 * sparse matrix-vector multiplication" (SC 2016), in its simplest form.
 *
 * <p>Part {@code p} covers entries {@code [entryStart(p), entryEnd(p))} and <em>owns</em> the
 * rows that start inside that range ({@code [firstRow(p), endRow(p))}, empty rows included): it
 * writes their outputs directly, using only its own entries. The entries at the start of its
 * range that belong to a row owned by an earlier part ({@link #tailRow(p)}, up to
 * {@link #tailEnd(p)}) are summed into a private buffer and added to that row after all parts
 * finish. Every row is owned by exactly one part, so no two threads write the same output.
 */
final class NnzPartition {

    private final int[] entryStart;
    private final int[] firstRow;
    private final int[] tailEnd;

    private NnzPartition(int[] entryStart, int[] firstRow, int[] tailEnd) {
        this.entryStart = entryStart;
        this.firstRow = firstRow;
        this.tailEnd = tailEnd;
    }

    /** Splits the rows described by {@code pointers} ({@code rows + 1} entries) into {@code parts}. */
    static NnzPartition of(int[] pointers, int parts) {
        int rows = pointers.length - 1;
        long nnz = pointers[rows];
        int[] start = new int[parts + 1];
        int[] first = new int[parts + 1];
        int[] tail = new int[parts];
        for (int p = 0; p <= parts; p++) {
            start[p] = (int) (nnz * p / parts);
            first[p] = p == parts ? rows : lowerBound(pointers, start[p]);
        }
        for (int p = 0; p < parts; p++) {
            tail[p] = Math.min(pointers[first[p]], start[p + 1]);
        }
        return new NnzPartition(start, first, tail);
    }

    /** The first index {@code r} with {@code pointers[r] >= value}. */
    private static int lowerBound(int[] pointers, int value) {
        int low = 0;
        int high = pointers.length - 1;
        while (low < high) {
            int mid = (low + high) >>> 1;
            if (pointers[mid] < value) {
                low = mid + 1;
            } else {
                high = mid;
            }
        }
        return low;
    }

    int parts() {
        return tailEnd.length;
    }

    int entryStart(int part) {
        return entryStart[part];
    }

    int entryEnd(int part) {
        return entryStart[part + 1];
    }

    int firstRow(int part) {
        return firstRow[part];
    }

    int endRow(int part) {
        return firstRow[part + 1];
    }

    /** The earlier part's row whose entries open this part's range, or -1 when there are none. */
    int tailRow(int part) {
        return tailEnd[part] > entryStart[part] ? firstRow[part] - 1 : -1;
    }

    /** End of the entries of {@link #tailRow}. */
    int tailEnd(int part) {
        return tailEnd[part];
    }
}
