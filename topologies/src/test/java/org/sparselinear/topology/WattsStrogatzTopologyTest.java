package org.sparselinear.topology;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.sparselinear.topology.ConnectivityAssertions.assertValid;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.function.Executable;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.sparselinear.api.Connectivity;

class WattsStrogatzTopologyTest {

    /**
     * The k inputs nearest to round(o * in / out) on the ring, in ring order from the lowest,
     * written out independently of the generator.
     */
    private static int[] ring(int in, int out, int k, int o) {
        int centre = (int) (Math.round((double) o * in / out) % in);
        int[] row = new int[k];
        for (int t = 0; t < k; t++) {
            row[t] = Math.floorMod(centre - (k - 1) / 2 + t, in);
        }
        return row;
    }

    /** The same, sorted. */
    private static int[] lattice(int in, int out, int k, int o) {
        int[] row = ring(in, out, k, o);
        Arrays.sort(row);
        return row;
    }

    private static int[] row(Connectivity c, int o) {
        return Arrays.copyOfRange(c.columnIndices(), c.rowStart(o), c.rowStart(o + 1));
    }

    @ParameterizedTest
    @CsvSource({"10, 10, 3", "10, 10, 4", "10, 4, 5", "4, 10, 2", "7, 3, 7", "100, 37, 10", "1, 5, 1", "5, 1, 2"})
    void betaZeroIsExactlyTheRingLattice(int in, int out, int k) {
        Connectivity c = WattsStrogatzTopology.withK(k, 0).connect(in, out, 0.5, 3);
        assertValid(c, in, out);
        for (int o = 0; o < out; o++) {
            assertArrayEquals(lattice(in, out, k, o), row(c, o), "row " + o);
        }
    }

    @Test
    void latticeWrapsAroundAndBreaksTiesUpwards() {
        Connectivity c = WattsStrogatzTopology.withK(4, 0).connect(10, 10, 0.5, 1);
        assertArrayEquals(new int[] {0, 1, 2, 9}, row(c, 0), "centre 0: one below (9, wrapped), two above");
        assertArrayEquals(new int[] {4, 5, 6, 7}, row(c, 5));
        assertArrayEquals(
                new int[] {0, 8, 9},
                row(WattsStrogatzTopology.withK(3, 0).connect(10, 10, 0.5, 1), 9),
                "centre 9: 8, 9 and 0 (wrapped)");
    }

    @ParameterizedTest
    @CsvSource({
        "1000, 800, 10, 0.1",
        "1000, 800, 10, 1",
        "300, 500, 200, 0.5",
        "300, 500, 290, 1",
        "50, 50, 50, 1",
        "2000, 3000, 1, 0.7"
    })
    void everyRowHasExactlyKDistinctConnections(int in, int out, int k, double beta) {
        Connectivity c = WattsStrogatzTopology.withK(k, beta).connect(in, out, 0.9, 7);
        assertValid(c, in, out);
        for (int o = 0; o < out; o++) {
            assertEquals(k, c.rowStart(o + 1) - c.rowStart(o), "row " + o);
        }
    }

    @Test
    void rewiredShareFollowsBeta() {
        int in = 2000;
        int out = 2000;
        int k = 20;
        for (double beta : new double[] {0.1, 0.5}) {
            Connectivity c = WattsStrogatzTopology.withK(k, beta).connect(in, out, 0.9, 5);
            long kept = 0;
            for (int o = 0; o < out; o++) {
                int[] lattice = lattice(in, out, k, o);
                for (int input : row(c, o)) {
                    kept += Arrays.binarySearch(lattice, input) >= 0 ? 1 : 0;
                }
            }
            // An input that was rewired away can come back only by a later draw among ~2000: rare.
            double keptShare = (double) kept / c.nnz();
            assertEquals(1 - beta, keptShare, 0.01, "share of lattice connections kept at beta = " + beta);
        }
    }

    /**
     * Both ways of drawing an unconnected input (rejection for {@code k <= in / 2}, a list above)
     * match a plain simulation of the rule: per input, how often it ends in row 0.
     */
    @ParameterizedTest
    @CsvSource({"12, 4", "12, 9"})
    void rewiringMatchesAPlainSimulation(int in, int k) {
        int trials = 20_000;
        double beta = 0.5;
        long[] drawn = new long[in];
        for (int seed = 0; seed < trials; seed++) {
            for (int input : row(WattsStrogatzTopology.withK(k, beta).connect(in, 3, 0.5, seed), 0)) {
                drawn[input]++;
            }
        }
        long[] simulated = new long[in];
        SplittableRandom random = new SplittableRandom(99);
        for (int trial = 0; trial < trials; trial++) {
            List<Integer> row = new ArrayList<>();
            for (int input : ring(in, 3, k, 0)) {
                row.add(input);
            }
            for (int t = 0; t < k; t++) {
                if (random.nextDouble() < beta) {
                    List<Integer> free = new ArrayList<>();
                    for (int input = 0; input < in; input++) {
                        if (!row.contains(input)) {
                            free.add(input);
                        }
                    }
                    row.set(t, free.get(random.nextInt(free.size())));
                }
            }
            row.forEach(input -> simulated[input]++);
        }
        for (int input = 0; input < in; input++) {
            double p = (drawn[input] + simulated[input]) / (2.0 * trials);
            double sd = Math.sqrt(2 * trials * p * (1 - p));
            assertTrue(
                    Math.abs(drawn[input] - simulated[input]) < 5 * sd + 1,
                    "input " + input + ": drawn " + drawn[input] + " times, simulated " + simulated[input]);
        }
    }

    @Test
    void betaOneDestroysLocality() {
        int in = 4000;
        int out = 4000;
        double lattice = meanRingDistance(WattsStrogatzTopology.fromSparsity(0).connect(in, out, 0.99, 2));
        double rewired = meanRingDistance(WattsStrogatzTopology.fromSparsity(1).connect(in, out, 0.99, 2));
        assertTrue(lattice < 12, "lattice of k = 40: mean ring distance about 10, got " + lattice);
        assertEquals(in / 4.0, rewired, in / 40.0, "uniform inputs lie in / 4 away on the ring on average");
    }

    private static double meanRingDistance(Connectivity c) {
        int in = c.columns();
        double sum = 0;
        for (int o = 0; o < c.rows(); o++) {
            int centre = (int) (Math.round((double) o * in / c.rows()) % in);
            for (int k = c.rowStart(o); k < c.rowStart(o + 1); k++) {
                int gap = Math.abs(c.column(k) - centre);
                sum += Math.min(gap, in - gap);
            }
        }
        return sum / c.nnz();
    }

    @Test
    void kDefaultsToTheSparsity() {
        WattsStrogatzTopology topology = WattsStrogatzTopology.fromSparsity(0.2);
        assertEquals(50, topology.connectionsPerOutput(500, 0.9));
        assertEquals(1, topology.connectionsPerOutput(500, 0.9999), "at least one");
        assertEquals(500, topology.connectionsPerOutput(500, 0));
        Connectivity c = topology.connect(500, 300, 0.9, 1);
        assertEquals(50 * 300, c.nnz());
        assertEquals(0.1, WattsStrogatzTopology.DEFAULT_BETA);
        assertEquals("watts-strogatz", topology.name());
    }

    @Test
    void sameSeedGivesSamePatternAndOthersDiffer() {
        WattsStrogatzTopology topology = WattsStrogatzTopology.withK(12, 0.3);
        Connectivity first = topology.connect(3000, 2500, 0.9, 42);
        assertEquals(first, topology.connect(3000, 2500, 0.9, 42));
        assertNotEquals(first, topology.connect(3000, 2500, 0.9, 43));
    }

    @Test
    void badParametersAreClearErrors() {
        assertMessage(
                () -> WattsStrogatzTopology.withK(12, 0.1).connect(10, 5, 0.5, 1),
                "watts-strogatz k = 12 (inputs per output) exceeds the layer's in = 10 inputs; use k <= 10");
        assertMessage(
                () -> WattsStrogatzTopology.withK(0, 0.1),
                "watts-strogatz k (inputs per output) must be positive, got 0");
        assertMessage(
                () -> WattsStrogatzTopology.withK(3, 1.5),
                "watts-strogatz beta (the rewiring probability) must be in [0, 1]",
                "got 1.5");
        assertMessage(() -> WattsStrogatzTopology.fromSparsity(-0.1), "got -0.1");
        assertMessage(() -> WattsStrogatzTopology.fromSparsity(Double.NaN), "got NaN");
        assertMessage(
                () -> WattsStrogatzTopology.fromSparsity(0.1).connect(10, 0, 0.5, 1),
                "out (output features) must be positive, got 0");
        assertMessage(
                () -> WattsStrogatzTopology.withK(50_000, 0.1).connect(50_000, 50_000, 0.5, 1),
                "a layer of 2500000000 connections (k = 50000 per output, out = 50000) exceeds int32 indexing");
    }

    private static void assertMessage(Executable call, String... expected) {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, call);
        for (String part : expected) {
            assertTrue(e.getMessage().contains(part), () -> "expected '" + part + "' in: " + e.getMessage());
        }
    }
}
