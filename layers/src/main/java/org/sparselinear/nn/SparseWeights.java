package org.sparselinear.nn;

import java.util.Arrays;
import java.util.Objects;
import org.sparselinear.api.Connectivity;

/**
 * A host-side copy of a sparse layer's weight, for inspection and export: the connections and
 * their values in the connectivity's row-major order (rows are outputs, columns are inputs).
 * Taking it downloads the values once; later training does not change it.
 *
 * @param connectivity the connections
 * @param values one value per connection, in the connectivity's order; copied in and out
 */
public record SparseWeights(Connectivity connectivity, float[] values) {

    /** The largest matrix {@link #toDense()} builds: 2^24 elements (64 MiB). */
    public static final long MAX_DENSE_ELEMENTS = 1L << 24;

    /** Checks that there is one value per connection and copies the values. */
    public SparseWeights {
        Objects.requireNonNull(connectivity, "connectivity");
        Objects.requireNonNull(values, "values");
        if (values.length != connectivity.nnz()) {
            throw new IllegalArgumentException("expected one value per connection: " + connectivity.nnz()
                    + " connections, got " + values.length + " values");
        }
        values = values.clone();
    }

    /**
     * Connections given as a {@code (2, nnz)} array ({@code indices[0][k]} the output row,
     * {@code indices[1][k]} the input column of connection {@code k}) in any order, with one value
     * each, as a PyTorch sparse COO tensor holds them before or after {@code coalesce()}: the
     * connections are sorted by row then column and each value moves with its connection.
     *
     * @throws IllegalArgumentException for a wrong shape, an index out of range or a duplicate
     *         connection (the message names the first bad entry), or a values array of another length
     */
    public static SparseWeights fromCoo(int rows, int columns, int[][] indices, float[] values) {
        Objects.requireNonNull(values, "values");
        Connectivity connectivity = Connectivity.fromCoo(rows, columns, indices);
        if (values.length != connectivity.nnz()) {
            throw new IllegalArgumentException("expected one value per connection: " + connectivity.nnz()
                    + " connections, got " + values.length + " values");
        }
        int[] positions = connectivity.positionsOf(indices[0], indices[1]);
        float[] sorted = new float[values.length];
        for (int k = 0; k < values.length; k++) {
            sorted[positions[k]] = values[k];
        }
        return new SparseWeights(connectivity, sorted);
    }

    /** A copy of the values, in the connectivity's row-major order. */
    @Override
    public float[] values() {
        return values.clone();
    }

    /** Number of connections. */
    public int nnz() {
        return values.length;
    }

    /** The connections as a {@code (2, nnz)} array, rows (outputs) then columns (inputs), as PyTorch's COO indices. */
    public int[][] indices() {
        return connectivity.toCoo();
    }

    /**
     * The weight as a dense {@code [out][in]} array with zeros where there is no connection, for
     * small layers (at most {@link #MAX_DENSE_ELEMENTS} elements).
     *
     * @throws IllegalStateException when the dense matrix would be larger than that
     */
    public float[][] toDense() {
        int rows = connectivity.rows();
        int columns = connectivity.columns();
        long elements = (long) rows * columns;
        if (elements > MAX_DENSE_ELEMENTS) {
            throw new IllegalStateException("toDense() of a (" + rows + ", " + columns + ") weight needs " + elements
                    + " elements, more than the limit of " + MAX_DENSE_ELEMENTS
                    + "; read indices() and values() instead");
        }
        float[][] dense = new float[rows][columns];
        for (int r = 0; r < rows; r++) {
            for (int k = connectivity.rowStart(r); k < connectivity.rowStart(r + 1); k++) {
                dense[r][connectivity.column(k)] = values[k];
            }
        }
        return dense;
    }

    @Override
    public boolean equals(Object other) {
        return other instanceof SparseWeights that
                && connectivity.equals(that.connectivity)
                && Arrays.equals(values, that.values);
    }

    @Override
    public int hashCode() {
        return 31 * connectivity.hashCode() + Arrays.hashCode(values);
    }

    @Override
    public String toString() {
        return "SparseWeights(" + connectivity + ")";
    }
}
