package org.sparselinear.tck.reference;

import java.util.Arrays;
import java.util.SplittableRandom;
import org.sparselinear.api.Connectivity;

/**
 * Seeded sparsity patterns for the kit's cases, generated in O(nnz) time and memory: each row
 * draws its columns with Floyd's sampling algorithm, marks them in one reusable array, and
 * sorts them. The kit builds its own patterns so that it depends on the api module alone.
 */
public final class Patterns {

    private Patterns() {}

    /** Each row holds about {@code density * columns} uniformly chosen columns (binomially varying counts). */
    public static Connectivity random(int rows, int columns, double density, long seed) {
        SplittableRandom random = new SplittableRandom(seed);
        double mean = density * columns;
        double deviation = Math.sqrt(mean * (1 - density));
        int[] sizes = new int[rows];
        for (int r = 0; r < rows; r++) {
            sizes[r] = clamp(Math.round(mean + deviation * random.nextGaussian()), columns);
        }
        return withRowSizes(columns, sizes, allColumns(columns), random);
    }

    /** Every third row is empty, and only even columns are ever connected (odd columns are empty). */
    public static Connectivity emptyRowsAndColumns(int rows, int columns, double density, long seed) {
        SplittableRandom random = new SplittableRandom(seed);
        int[] evenColumns = new int[(columns + 1) / 2];
        for (int i = 0; i < evenColumns.length; i++) {
            evenColumns[i] = 2 * i;
        }
        int[] sizes = new int[rows];
        for (int r = 0; r < rows; r++) {
            sizes[r] = r % 3 == 0 ? 0 : 1 + random.nextInt(Math.max(1, (int) (2 * density * evenColumns.length)));
            sizes[r] = Math.min(sizes[r], evenColumns.length);
        }
        return withRowSizes(columns, sizes, evenColumns, random);
    }

    /** Row {@code denseRow} is fully connected; every other row has {@code otherRowSize} random columns. */
    public static Connectivity oneDenseRow(int rows, int columns, int denseRow, int otherRowSize, long seed) {
        int[] sizes = new int[rows];
        Arrays.fill(sizes, otherRowSize);
        sizes[denseRow] = columns;
        return withRowSizes(columns, sizes, allColumns(columns), new SplittableRandom(seed));
    }

    /** Every position connected. */
    public static Connectivity full(int rows, int columns) {
        int[] sizes = new int[rows];
        Arrays.fill(sizes, columns);
        return withRowSizes(columns, sizes, allColumns(columns), new SplittableRandom(0));
    }

    /** No connections at all. */
    public static Connectivity empty(int rows, int columns) {
        return Connectivity.fromCsr(rows, columns, new int[rows + 1], new int[0]);
    }

    /** Row {@code r} holds {@code sizes[r]} uniformly chosen columns: any mix of empty, short, long and full rows. */
    public static Connectivity withRowSizes(int columns, int[] sizes, long seed) {
        return withRowSizes(columns, sizes, allColumns(columns), new SplittableRandom(seed));
    }

    /**
     * 70 x 300, skewed as real layers are: row 5 fully connected, every fourth row empty, 15
     * random connections (5 %) in each other row. Device backends' own tests use it to reach the
     * kernels' paths for short, empty and long rows in one pattern.
     */
    public static Connectivity skewed() {
        int[] sizes = new int[70];
        for (int r = 0; r < sizes.length; r++) {
            sizes[r] = r == 5 ? 300 : r % 4 == 0 ? 0 : 15;
        }
        return withRowSizes(300, sizes, 3);
    }

    /**
     * Every row holds {@code column} and {@code otherRowSize} other uniformly chosen columns: a
     * sparse batch with one feature present in every sample.
     */
    public static Connectivity withColumnInEveryRow(int rows, int columns, int column, int otherRowSize, long seed) {
        int[] others = new int[columns - 1];
        for (int c = 0, next = 0; c < columns; c++) {
            if (c != column) {
                others[next++] = c;
            }
        }
        int[] sizes = new int[rows];
        Arrays.fill(sizes, otherRowSize);
        Connectivity rest = withRowSizes(columns, sizes, others, new SplittableRandom(seed));
        int[] rowPointers = new int[rows + 1];
        int[] columnIndices = new int[rest.nnz() + rows];
        int position = 0;
        for (int r = 0; r < rows; r++) {
            boolean placed = false;
            for (int k = rest.rowStart(r); k < rest.rowStart(r + 1); k++) {
                if (!placed && rest.column(k) > column) {
                    columnIndices[position++] = column;
                    placed = true;
                }
                columnIndices[position++] = rest.column(k);
            }
            if (!placed) {
                columnIndices[position++] = column;
            }
            rowPointers[r + 1] = position;
        }
        return Connectivity.fromCsr(rows, columns, rowPointers, columnIndices);
    }

    /**
     * Rows of {@code rowSize} distinct columns drawn with Zipf-distributed frequencies (column
     * {@code c} with weight {@code 1 / (c + 1)}), as the words of short texts are: a few features
     * appear in most rows, most features in few or none. Duplicates within a row are redrawn.
     */
    public static Connectivity zipfRows(int rows, int columns, int rowSize, long seed) {
        if (rowSize > columns / 2) {
            throw new IllegalArgumentException(
                    "zipfRows: row size " + rowSize + " must be at most half the " + columns + " columns");
        }
        double[] cumulative = new double[columns];
        double total = 0;
        for (int c = 0; c < columns; c++) {
            total += 1.0 / (c + 1);
            cumulative[c] = total;
        }
        SplittableRandom random = new SplittableRandom(seed);
        int[] rowPointers = new int[rows + 1];
        int[] columnIndices = new int[rows * rowSize];
        for (int r = 0; r < rows; r++) {
            int start = r * rowSize;
            for (int k = start; k < start + rowSize; ) {
                int drawn = Arrays.binarySearch(cumulative, random.nextDouble(total));
                int c = Math.min(drawn < 0 ? -drawn - 1 : drawn, columns - 1);
                if (!contains(columnIndices, start, k, c)) {
                    columnIndices[k++] = c;
                }
            }
            Arrays.sort(columnIndices, start, start + rowSize);
            rowPointers[r + 1] = start + rowSize;
        }
        return Connectivity.fromCsr(rows, columns, rowPointers, columnIndices);
    }

    private static boolean contains(int[] values, int from, int to, int value) {
        for (int k = from; k < to; k++) {
            if (values[k] == value) {
                return true;
            }
        }
        return false;
    }

    /** The transposed pattern: {@code (c, r)} for every {@code (r, c)}. */
    public static Connectivity transpose(Connectivity pattern) {
        int[] pointers = new int[pattern.columns() + 1];
        int[] columnIndices = pattern.columnIndices();
        for (int column : columnIndices) {
            pointers[column + 1]++;
        }
        for (int c = 0; c < pattern.columns(); c++) {
            pointers[c + 1] += pointers[c];
        }
        int[] next = Arrays.copyOf(pointers, pattern.columns());
        int[] rowIndices = new int[columnIndices.length];
        for (int r = 0; r < pattern.rows(); r++) {
            for (int k = pattern.rowStart(r); k < pattern.rowStart(r + 1); k++) {
                rowIndices[next[columnIndices[k]]++] = r;
            }
        }
        return Connectivity.fromCsr(pattern.columns(), pattern.rows(), pointers, rowIndices);
    }

    /**
     * Row {@code r} gets {@code sizes[r]} distinct entries of {@code candidates} (ascending), drawn
     * uniformly with Floyd's algorithm: exactly {@code sizes[r]} draws, no retries.
     */
    private static Connectivity withRowSizes(int columns, int[] sizes, int[] candidates, SplittableRandom random) {
        int rows = sizes.length;
        int[] rowPointers = new int[rows + 1];
        for (int r = 0; r < rows; r++) {
            rowPointers[r + 1] = Math.addExact(rowPointers[r], sizes[r]);
        }
        int[] columnIndices = new int[rowPointers[rows]];
        boolean[] taken = new boolean[candidates.length];
        int n = candidates.length;
        for (int r = 0; r < rows; r++) {
            int start = rowPointers[r];
            int end = rowPointers[r + 1];
            int position = start;
            for (int j = n - sizes[r]; j < n; j++) {
                int pick = random.nextInt(j + 1);
                if (taken[pick]) {
                    pick = j;
                }
                taken[pick] = true;
                columnIndices[position++] = pick;
            }
            Arrays.sort(columnIndices, start, end);
            for (int k = start; k < end; k++) {
                taken[columnIndices[k]] = false;
                columnIndices[k] = candidates[columnIndices[k]];
            }
        }
        return Connectivity.fromCsr(rows, columns, rowPointers, columnIndices);
    }

    private static int[] allColumns(int columns) {
        int[] all = new int[columns];
        Arrays.setAll(all, c -> c);
        return all;
    }

    private static int clamp(long size, int columns) {
        return (int) Math.max(0, Math.min(columns, size));
    }
}
