package org.sparselinear.topology;

import java.util.Arrays;
import java.util.Locale;
import org.sparselinear.api.Connectivity;

/** A growable list of column indices: the connections one block of rows has drawn so far. */
final class ColumnBuffer {

    private int[] columns;
    private int size;

    ColumnBuffer(long capacity) {
        columns = new int[(int) Math.max(16, Math.min(capacity, Connectivity.MAX_NNZ))];
    }

    /** Number of columns held. */
    int size() {
        return size;
    }

    /** Appends one column. */
    void add(int column) {
        if (size == columns.length) {
            grow(size + 1L);
        }
        columns[size++] = column;
    }

    /** Appends {@code values[0 .. count - 1]}. */
    void addAll(int[] values, int count) {
        if (size + (long) count > columns.length) {
            grow(size + (long) count);
        }
        System.arraycopy(values, 0, columns, size, count);
        size += count;
    }

    /** Reverses the order of the columns from index {@code from} to the end. */
    void reverseFrom(int from) {
        for (int a = from, b = size - 1; a < b; a++, b--) {
            int swap = columns[a];
            columns[a] = columns[b];
            columns[b] = swap;
        }
    }

    /** Copies the columns into {@code target} from {@code offset}. */
    void copyTo(int[] target, int offset) {
        System.arraycopy(columns, 0, target, offset, size);
    }

    private void grow(long needed) {
        if (needed > Connectivity.MAX_NNZ) {
            throw new IllegalArgumentException(String.format(
                    Locale.ROOT,
                    "the pattern has more connections than int32 indexing allows (max %d); raise the sparsity or "
                            + "split the layer",
                    Connectivity.MAX_NNZ));
        }
        long grown = Math.max(needed, columns.length + (columns.length >> 1) + 16L);
        columns = Arrays.copyOf(columns, (int) Math.min(grown, Connectivity.MAX_NNZ));
    }
}
