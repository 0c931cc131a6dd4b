package org.sparselinear.topology;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.sparselinear.api.Connectivity;

/** Assertions shared by the topology tests. */
final class ConnectivityAssertions {

    private ConnectivityAssertions() {}

    /**
     * Asserts that {@code c} has shape {@code (out, in)} and valid CSR: rebuilding it through the
     * checking factory {@link Connectivity#fromCsr} (row pointers from 0 to nnz, non-decreasing;
     * columns in range and strictly increasing within a row) gives the same pattern.
     */
    static void assertValid(Connectivity c, int in, int out) {
        assertEquals(out, c.rows(), "rows (outputs)");
        assertEquals(in, c.columns(), "columns (inputs)");
        assertEquals(c, Connectivity.fromCsr(out, in, c.rowPointers(), c.columnIndices()));
    }

    /** Chi-square statistic of observed counts against one common expected count. */
    static double chiSquare(long[] observed, double expected) {
        double sum = 0;
        for (long o : observed) {
            sum += (o - expected) * (o - expected) / expected;
        }
        return sum;
    }
}
