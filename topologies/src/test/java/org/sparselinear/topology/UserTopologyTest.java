package org.sparselinear.topology;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.function.Executable;
import org.sparselinear.api.Connectivity;

class UserTopologyTest {

    /** Rows (outputs) then columns (inputs), deliberately unsorted. */
    private static final int[][] INDICES = {{2, 0, 1, 0}, {1, 3, 0, 0}};

    @Test
    void givesTheConnectionsSortedAndIgnoresSparsityAndSeed() {
        UserTopology topology = UserTopology.of(INDICES);
        Connectivity c = topology.connect(4, 3, 0.99, 1);
        assertArrayEquals(new int[] {0, 2, 3, 4}, c.rowPointers());
        assertArrayEquals(new int[] {0, 3, 0, 1}, c.columnIndices());
        assertEquals(c, topology.connect(4, 3, 0.1, 2));
        assertEquals(4, topology.nnz());
        assertEquals("user", topology.name());
    }

    @Test
    void fitsAnyLayerLargeEnough() {
        Connectivity c = UserTopology.of(INDICES).connect(10, 7, 0, 0);
        assertEquals(7, c.rows());
        assertEquals(10, c.columns());
        assertTrue(c.contains(2, 1) && c.contains(0, 3) && c.contains(1, 0) && c.contains(0, 0));
        assertEquals(4, c.nnz());
    }

    @Test
    void copiesTheArrayGiven() {
        int[][] indices = {{0, 1}, {1, 0}};
        UserTopology topology = UserTopology.of(indices);
        indices[0][0] = 5;
        assertTrue(topology.connect(2, 2, 0, 0).contains(0, 1));
    }

    @Test
    void longIndicesAsFromPyTorch() {
        long[][] indices = {{2, 0, 1, 0}, {1, 3, 0, 0}};
        assertEquals(
                UserTopology.of(INDICES).connect(4, 3, 0, 0),
                UserTopology.of(indices).connect(4, 3, 0, 0));
    }

    @Test
    void noConnections() {
        Connectivity c = UserTopology.of(new int[][] {{}, {}}).connect(3, 2, 0.5, 0);
        assertEquals(0, c.nnz());
        assertEquals(2, c.rows());
    }

    @Test
    void negativeIndexNamesTheEntry() {
        assertMessage(
                () -> UserTopology.of(new int[][] {{0, -1}, {0, 0}}),
                "connection 1: row (output) index -1 is negative");
        assertMessage(
                () -> UserTopology.of(new int[][] {{0, 1, 2}, {0, 0, -4}}),
                "connection 2: column (input) index -4 is negative");
        assertMessage(
                () -> UserTopology.of(new long[][] {{0, -3}, {0, 0}}),
                "connection 1: row (output) index -3 is out of range [0, 2147483647]");
    }

    @Test
    void longIndexBeyondIntNamesTheEntry() {
        assertMessage(
                () -> UserTopology.of(new long[][] {{0, 1, 2}, {0, 1L << 31, 0}}),
                "connection 1: column (input) index 2147483648 is out of range [0, 2147483647]");
    }

    @Test
    void indexOutsideTheLayerNamesTheEntryAndBothShapes() {
        UserTopology topology = UserTopology.of(INDICES);
        assertMessage(
                () -> topology.connect(4, 2, 0, 0),
                "connection 0: row (output) index 2 is out of range [0, 2)",
                "needs a layer of at least (out=3, in=4), got (out=2, in=4)");
        assertMessage(
                () -> topology.connect(3, 3, 0, 0),
                "connection 1: column (input) index 3 is out of range [0, 3)",
                "(out=3, in=4), got (out=3, in=3)");
    }

    @Test
    void wrongShapeIsAnError() {
        assertMessage(() -> UserTopology.of(new int[][] {{0}, {0}, {0}}), "shape (2, nnz)", "got 3 rows");
        assertMessage(() -> UserTopology.of(new int[][] {{0}}), "shape (2, nnz)", "got 1 rows");
        assertMessage(() -> UserTopology.of(new int[][] {{0}, null}), "got 2 rows, one of them null");
        assertMessage(() -> UserTopology.of(new long[0][]), "got 0 rows");
    }

    @Test
    void raggedRowsAreAnError() {
        assertMessage(
                () -> UserTopology.of(new int[][] {{0, 1, 2}, {0, 1}}),
                "rows of equal length, got 3 row (output) indices and 2 column (input) indices");
        assertMessage(
                () -> UserTopology.of(new long[][] {{0}, {0, 1}}),
                "got 1 row (output) indices and 2 column (input) indices");
    }

    @Test
    void duplicatesNameBothPositions() {
        UserTopology topology = UserTopology.of(new int[][] {{0, 1, 2, 1}, {0, 2, 1, 2}});
        assertMessage(
                () -> topology.connect(3, 3, 0, 0), "connection 3 duplicates connection 1: both are (row 1, column 2)");
    }

    @Test
    void fixedShapeMustMatchTheLayer() {
        Connectivity pattern = Connectivity.fromCoo(3, 4, INDICES);
        UserTopology topology = UserTopology.of(pattern);
        assertSame(pattern, topology.connect(4, 3, 0.5, 9));
        assertEquals(4, topology.nnz());
        assertMessage(
                () -> topology.connect(4, 5, 0, 0),
                "the user connectivity has shape (out=3, in=4) but the layer has (out=5, in=4)",
                "build the layer with in = 4 and out = 3");
        assertMessage(() -> topology.connect(5, 3, 0, 0), "(out=3, in=4) but the layer has (out=3, in=5)");
    }

    @Test
    void nullIsRejected() {
        assertThrows(NullPointerException.class, () -> UserTopology.of((int[][]) null));
        assertThrows(NullPointerException.class, () -> UserTopology.of((Connectivity) null));
    }

    private static void assertMessage(Executable call, String... expected) {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, call);
        for (String part : expected) {
            assertTrue(e.getMessage().contains(part), () -> "expected '" + part + "' in: " + e.getMessage());
        }
    }
}
