package org.sparselinear.topology;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.sparselinear.topology.ConnectivityAssertions.assertValid;

import java.util.HashSet;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.sparselinear.api.Connectivity;

class RandomTopologyTest {

    private final RandomTopology topology = new RandomTopology();

    @Test
    void exactCountAndValidPatternOverManyShapes() {
        int[] sizes = {1, 2, 3, 7, 64, 333};
        double[] sparsities = {0, 0.1, 0.25, 0.5, 0.9, 0.97, 0.99, 0.999};
        for (int in : sizes) {
            for (int out : sizes) {
                for (double sparsity : sparsities) {
                    Connectivity c = topology.connect(in, out, sparsity, 17);
                    assertEquals(
                            Math.round((1 - sparsity) * in * out),
                            c.nnz(),
                            () -> "in=" + in + " out=" + out + " sparsity=" + sparsity);
                    assertValid(c, in, out);
                }
            }
        }
    }

    @Test
    void oneByOneIsDenseAtSparsityBelowOneHalf() {
        Connectivity c = topology.connect(1, 1, 0.4, 3);
        assertEquals(1, c.nnz());
        assertTrue(c.contains(0, 0));
        assertEquals(0, topology.connect(1, 1, 0.6, 3).nnz());
    }

    @Test
    void sparsityZeroIsDense() {
        Connectivity c = topology.connect(4, 3, 0, 99);
        assertValid(c, 4, 3);
        assertArrayEquals(new int[] {0, 4, 8, 12}, c.rowPointers());
        assertArrayEquals(new int[] {0, 1, 2, 3, 0, 1, 2, 3, 0, 1, 2, 3}, c.columnIndices());
    }

    @ParameterizedTest
    @CsvSource({
        "10, 10, 0.996, 0",
        "10, 10, 0.99, 1",
        "1000, 1000, 0.9999995, 0",
        "1000, 1000, 0.999999, 1",
        "100000, 30000, 0.99999999999, 0",
        "7, 3, 0.96, 1"
    })
    void veryHighSparsityGivesZeroOrOneConnection(int in, int out, double sparsity, int expected) {
        Connectivity c = topology.connect(in, out, sparsity, 5);
        assertEquals(expected, c.nnz());
        assertValid(c, in, out);
    }

    @Test
    void allButOnePosition() {
        Connectivity c = topology.connect(5, 4, 0.05, 8);
        assertEquals(19, c.nnz());
        assertValid(c, 5, 4);
    }

    @Test
    void sameSeedGivesSamePattern() {
        assertEquals(topology.connect(300, 200, 0.95, 42), topology.connect(300, 200, 0.95, 42));
        assertEquals(topology.connect(2, 3, 0.5, -7), topology.connect(2, 3, 0.5, -7));
    }

    @Test
    void differentSeedsGiveDifferentPatterns() {
        Set<Connectivity> seen = new HashSet<>();
        for (long seed = 0; seed < 20; seed++) {
            seen.add(topology.connect(300, 200, 0.95, seed));
        }
        assertEquals(20, seen.size(), "20 seeds should give 20 different patterns of 3000 out of 60000 positions");
        assertNotEquals(topology.connect(300, 200, 0.95, 1), topology.connect(300, 200, 0.95, 2));
    }

    @Test
    void largeLayerHasExactCountAndValidPattern() {
        Connectivity c = topology.connect(100_000, 100_000, 0.9999, 2024);
        assertEquals(1_000_000, c.nnz());
        assertValid(c, 100_000, 100_000);
    }

    @Test
    void tooManyConnectionsForInt32IsAClearError() {
        IllegalArgumentException e =
                assertThrows(IllegalArgumentException.class, () -> topology.connect(100_000, 100_000, 0, 1));
        assertTrue(
                e.getMessage()
                        .contains("a layer of 10000000000 connections exceeds int32 indexing (max "
                                + Connectivity.MAX_NNZ + "); raise the sparsity or split the layer"),
                e.getMessage());
        IllegalArgumentException justOver =
                assertThrows(IllegalArgumentException.class, () -> topology.connect(50_000, 50_000, 0.1, 1));
        assertTrue(justOver.getMessage().contains("2250000000 connections"), justOver.getMessage());
    }

    @Test
    void badArgumentsAreRejectedWithTheValueGiven() {
        assertMessage(() -> topology.connect(0, 5, 0.5, 1), "in (input features) must be positive, got 0");
        assertMessage(() -> topology.connect(5, -2, 0.5, 1), "out (output features) must be positive, got -2");
        assertMessage(() -> topology.connect(5, 5, 1.0, 1), "sparsity must be in [0, 1)");
        assertMessage(() -> topology.connect(5, 5, -0.1, 1), "got -0.1");
        assertMessage(() -> topology.connect(5, 5, Double.NaN, 1), "got NaN");
    }

    @Test
    void connectionCountFollowsTheRoundingRule() {
        assertEquals(50, topology.connectionCount(10, 10, 0.5));
        assertEquals(2, topology.connectionCount(3, 1, 0.5), "1.5 rounds up");
        assertEquals(3, topology.connectionCount(5, 1, 0.5), "2.5 rounds up");
        assertEquals(0, topology.connectionCount(10, 10, 0.996), "0.4 rounds down");
        assertEquals(10_000_000_000L, topology.connectionCount(100_000, 100_000, 0));
    }

    @Test
    void nameIsRandom() {
        assertEquals("random", topology.name());
    }

    private static void assertMessage(Runnable call, String expected) {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, call::run);
        assertTrue(e.getMessage().contains(expected), () -> "expected '" + expected + "' in: " + e.getMessage());
    }
}
