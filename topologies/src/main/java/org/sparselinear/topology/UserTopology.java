package org.sparselinear.topology;

import java.lang.reflect.Array;
import java.util.Locale;
import java.util.Objects;
import org.sparselinear.api.Connectivity;
import org.sparselinear.api.Topology;

/**
 * The connections a user lists, as in PyTorch's {@code connectivity} argument: a {@code (2, nnz)}
 * array whose first row holds the row (output) index and whose second row holds the column
 * (input) index of each connection, in any order.
 *
 * <p>{@link #of(int[][])} and {@link #of(long[][])} check the shape and signs at once and the
 * rest when the layer's size is known: {@link #connect} fails, naming the first bad connection,
 * when an index does not fit the layer or a connection is listed twice. {@link #of(Connectivity)}
 * fixes the shape too, and {@link #connect} then requires the layer to have exactly that shape.
 * Sparsity and seed are ignored: the pattern is exactly the one given.
 */
public final class UserTopology implements Topology {

    /** The name this topology is registered under. */
    public static final String NAME = "user";

    /** Row (output) indices as given; null when the pattern is {@link #fixed}. */
    private final int[] rowIndex;
    /** Column (input) indices as given; null when the pattern is {@link #fixed}. */
    private final int[] columnIndex;
    /** The smallest number of outputs the indices fit. */
    private final long neededRows;
    /** The smallest number of inputs the indices fit. */
    private final long neededColumns;
    /** The pattern, when {@link #of(Connectivity)} fixed it with its shape; else null. */
    private final Connectivity fixed;

    private UserTopology(int[] rowIndex, int[] columnIndex) {
        this.rowIndex = rowIndex;
        this.columnIndex = columnIndex;
        this.neededRows = maxPlusOne(rowIndex);
        this.neededColumns = maxPlusOne(columnIndex);
        this.fixed = null;
    }

    private UserTopology(Connectivity fixed) {
        this.rowIndex = null;
        this.columnIndex = null;
        this.neededRows = fixed.rows();
        this.neededColumns = fixed.columns();
        this.fixed = fixed;
    }

    /**
     * The connections in {@code indices}, shape {@code (2, nnz)}; the array is copied.
     *
     * @throws IllegalArgumentException when the shape is not {@code (2, nnz)} or an index is
     *         negative; the message names the first bad entry
     */
    public static UserTopology of(int[][] indices) {
        checkShape(indices);
        int[] rows = indices[0].clone();
        int[] columns = indices[1].clone();
        for (int k = 0; k < rows.length; k++) {
            checkNonNegative(k, rows[k], columns[k]);
        }
        return new UserTopology(rows, columns);
    }

    /**
     * The connections in {@code indices}, shape {@code (2, nnz)}, as an int64 PyTorch tensor
     * converts to; each index must fit an {@code int}.
     *
     * @throws IllegalArgumentException when the shape is not {@code (2, nnz)} or an index is
     *         negative or above {@link Integer#MAX_VALUE}; the message names the first bad entry
     */
    public static UserTopology of(long[][] indices) {
        checkShape(indices);
        int nnz = indices[0].length;
        int[] rows = new int[nnz];
        int[] columns = new int[nnz];
        for (int k = 0; k < nnz; k++) {
            rows[k] = toIndex(k, "row (output)", indices[0][k]);
            columns[k] = toIndex(k, "column (input)", indices[1][k]);
        }
        return new UserTopology(rows, columns);
    }

    /** Exactly this pattern, for a layer of exactly its shape ({@code in = columns}, {@code out = rows}). */
    public static UserTopology of(Connectivity connectivity) {
        return new UserTopology(Objects.requireNonNull(connectivity, "connectivity"));
    }

    @Override
    public String name() {
        return NAME;
    }

    /** Number of connections listed. */
    public int nnz() {
        return fixed != null ? fixed.nnz() : rowIndex.length;
    }

    /** {@inheritDoc} The number of connections listed, whatever the arguments. */
    @Override
    public long connectionCount(int in, int out, double sparsity) {
        return nnz();
    }

    /**
     * {@inheritDoc} Ignores {@code sparsity} and {@code seed}.
     *
     * @throws IllegalArgumentException when the layer's shape does not fit the connections, or a
     *         connection is listed twice; the message names the first bad entry and both shapes
     */
    @Override
    public Connectivity connect(int in, int out, double sparsity, long seed) {
        if (fixed != null) {
            if (fixed.rows() != out || fixed.columns() != in) {
                throw new IllegalArgumentException(String.format(
                        Locale.ROOT,
                        "the user connectivity has shape (out=%d, in=%d) but the layer has (out=%d, in=%d); build "
                                + "the layer with in = %d and out = %d, or give a connectivity of its shape",
                        fixed.rows(),
                        fixed.columns(),
                        out,
                        in,
                        fixed.columns(),
                        fixed.rows()));
            }
            return fixed;
        }
        if (neededRows > out || neededColumns > in) {
            throw outOfLayer(in, out);
        }
        return Connectivity.fromCoo(out, in, new int[][] {rowIndex, columnIndex});
    }

    private IllegalArgumentException outOfLayer(int in, int out) {
        int k = 0;
        while (rowIndex[k] < out && columnIndex[k] < in) {
            k++;
        }
        String entry = rowIndex[k] >= out
                ? "row (output) index " + rowIndex[k] + " is out of range [0, " + out + ")"
                : "column (input) index " + columnIndex[k] + " is out of range [0, " + in + ")";
        return new IllegalArgumentException(String.format(
                Locale.ROOT,
                "connection %d: %s; the user connectivity needs a layer of at least (out=%d, in=%d), got (out=%d, "
                        + "in=%d)",
                k,
                entry,
                neededRows,
                neededColumns,
                out,
                in));
    }

    /** Requires {@code indices}, an {@code int[][]} or {@code long[][]}, to have shape {@code (2, nnz)}. */
    private static void checkShape(Object[] indices) {
        Objects.requireNonNull(indices, "indices");
        if (indices.length != 2 || indices[0] == null || indices[1] == null) {
            throw new IllegalArgumentException("connectivity must have shape (2, nnz): row (output) indices, then "
                    + "column (input) indices; got " + indices.length + " rows"
                    + (indices.length == 2 ? ", one of them null" : ""));
        }
        int rowLength = Array.getLength(indices[0]);
        int columnLength = Array.getLength(indices[1]);
        if (rowLength != columnLength) {
            throw new IllegalArgumentException("connectivity must have shape (2, nnz) with rows of equal length, got "
                    + rowLength + " row (output) indices and " + columnLength + " column (input) indices");
        }
    }

    private static void checkNonNegative(int k, int row, int column) {
        if (row < 0) {
            throw new IllegalArgumentException("connection " + k + ": row (output) index " + row + " is negative");
        }
        if (column < 0) {
            throw new IllegalArgumentException("connection " + k + ": column (input) index " + column + " is negative");
        }
    }

    private static int toIndex(int k, String what, long value) {
        if (value < 0 || value > Integer.MAX_VALUE) {
            throw new IllegalArgumentException(String.format(
                    Locale.ROOT,
                    "connection %d: %s index %d is out of range [0, %d]",
                    k,
                    what,
                    value,
                    Integer.MAX_VALUE));
        }
        return (int) value;
    }

    private static long maxPlusOne(int[] values) {
        long max = -1;
        for (int value : values) {
            max = Math.max(max, value);
        }
        return max + 1;
    }

    @Override
    public String toString() {
        return fixed != null ? "UserTopology(" + fixed + ")" : "UserTopology(nnz=" + nnz() + ")";
    }
}
