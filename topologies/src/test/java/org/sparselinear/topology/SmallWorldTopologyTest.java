package org.sparselinear.topology;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.sparselinear.topology.ConnectivityAssertions.assertValid;

import java.util.concurrent.ExecutionException;
import java.util.concurrent.ForkJoinPool;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.function.Executable;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.sparselinear.api.Connectivity;

class SmallWorldTopologyTest {

    private final SmallWorldTopology topology = SmallWorldTopology.solvingLambda();

    /** With nnz >= 1e5 the count's spread, below sqrt(nnz), is under a third of 1 %. */
    @ParameterizedTest
    @CsvSource({
        "1000, 1000, 0.9",
        "2000, 1000, 0.9",
        "1000, 3001, 0.95",
        "784, 2000, 0.8",
        "2000, 784, 0.8",
        "50000, 20001, 0.9998",
        "100000, 100000, 0.999"
    })
    void achievedCountIsWithinOnePercentOfTheRequest(int in, int out, double sparsity) {
        Connectivity c = topology.connect(in, out, sparsity, 11);
        long requested = topology.connectionCount(in, out, sparsity);
        assertTrue(
                Math.abs(c.nnz() - requested) <= 0.01 * requested,
                () -> "got " + c.nnz() + " connections, requested " + requested);
        assertValid(c, in, out);
    }

    @ParameterizedTest
    @CsvSource({
        "1, 1, 0",
        "1, 7, 0.5",
        "7, 1, 0.5",
        "2, 3, 0.2",
        "20, 30, 0.5",
        "27, 20, 0.9",
        "1, 3000, 0.99",
        "3000, 2, 0.99",
        "5000, 3, 0.9"
    })
    void smallAndLopsidedShapesGiveValidPatterns(int in, int out, double sparsity) {
        for (long seed = 0; seed < 5; seed++) {
            assertValid(topology.connect(in, out, sparsity, seed), in, out);
        }
    }

    @Test
    void sparsityZeroAndLambdaZeroAreDense() {
        assertEquals(0, topology.lambda(13, 9, 0));
        assertEquals(13 * 9, topology.connect(13, 9, 0, 3).nnz());
        assertEquals(1, topology.connect(1, 1, 0, 3).nnz());
        assertEquals(
                new RandomTopology().connect(13, 9, 0, 0),
                SmallWorldTopology.withLambda(0).connect(13, 9, 0.9, 4));
    }

    @Test
    void shorterLayerIsCentred() {
        // A steep decay keeps only the pairs at distance 0: with in = 10 and out = 4, output o
        // sits at o + 3 and faces input o + 3.
        Connectivity c = SmallWorldTopology.withLambda(200).connect(10, 4, 0.5, 1);
        assertArrayEquals(new int[] {0, 1, 2, 3, 4}, c.rowPointers());
        assertArrayEquals(new int[] {3, 4, 5, 6}, c.columnIndices());
        Connectivity transposed = SmallWorldTopology.withLambda(200).connect(4, 10, 0.5, 1);
        assertArrayEquals(new int[] {0, 0, 0, 0, 1, 2, 3, 4, 4, 4, 4}, transposed.rowPointers());
        assertArrayEquals(new int[] {0, 1, 2, 3}, transposed.columnIndices());
        assertEquals(
                0,
                SmallWorldTopology.withLambda(200).connect(11, 4, 0.5, 1).nnz(),
                "odd difference: every distance is at least 1/2");
    }

    @Test
    void connectionsAreLocal() {
        // Mean distance falls as the sparsity (hence lambda) rises; above lambda = 1 it is far below random's.
        assertLocal(10_000, 10_000, 0.999, 0.2);
        assertLocal(2000, 784, 0.99, 0.5);
        assertLocal(784, 2000, 0.9, 0.85);
    }

    private void assertLocal(int in, int out, double sparsity, double maxRatio) {
        double smallWorld = meanDistance(topology.connect(in, out, sparsity, 5));
        double random = meanDistance(new RandomTopology().connect(in, out, sparsity, 5));
        assertTrue(
                smallWorld < maxRatio * random,
                () -> in + " x " + out + " at " + sparsity + ": mean distance " + smallWorld + ", random's " + random
                        + ", expected below " + maxRatio + " of it");
    }

    /** Mean of {@code |pos_o - pos_i|} over the connections, positions as in {@link SmallWorldTopology}. */
    static double meanDistance(Connectivity c) {
        int in = c.columns();
        int out = c.rows();
        double sum = 0;
        for (int o = 0; o < out; o++) {
            for (int k = c.rowStart(o); k < c.rowStart(o + 1); k++) {
                sum += Math.abs(2.0 * o + in - out - 2.0 * c.column(k)) / 2;
            }
        }
        return sum / c.nnz();
    }

    @Test
    void sameSeedGivesSamePatternAndOthersDiffer() {
        Connectivity first = topology.connect(3000, 2500, 0.99, 42);
        assertEquals(first, topology.connect(3000, 2500, 0.99, 42));
        assertNotEquals(first, topology.connect(3000, 2500, 0.99, 43));
    }

    @Test
    void patternDoesNotDependOnTheNumberOfThreads() throws InterruptedException, ExecutionException {
        Connectivity one = onThreads(1);
        assertEquals(one, onThreads(4));
        assertEquals(one, topology.connect(2000, 5000, 0.99, 8));
    }

    private Connectivity onThreads(int threads) throws InterruptedException, ExecutionException {
        ForkJoinPool pool = new ForkJoinPool(threads);
        try {
            return pool.submit(() -> topology.connect(2000, 5000, 0.99, 8)).get();
        } finally {
            pool.shutdown();
        }
    }

    @Test
    void lambdaIsSolvedFromTheSparsityOrFixed() {
        double lambda = topology.lambda(1000, 1000, 0.99);
        double expected = new SmallWorldLambda(new SmallWorldLine(1000, 1000)).expectedCount(lambda);
        assertEquals(10_000, expected, 1e-4);
        assertEquals(1.5, SmallWorldTopology.withLambda(1.5).lambda(1000, 1000, 0.99));
        assertEquals("small-world", topology.name());
    }

    @Test
    void tooSparseIsAClearError() {
        assertMessage(
                () -> topology.connect(1000, 1000, 0.9995, 1),
                "small-world with in = 1000, out = 1000 needs more than min(in, out) = 1000 connections",
                "sparsity 0.9995 gives 500",
                "Use a sparsity of at most 0.998999",
                "fix 'lambda', or use 'random'");
        assertMessage(() -> topology.connect(1001, 1000, 0.9999999, 1), "needs at least one connection", "gives 0");
        assertEquals(1001, topology.connect(1000, 1000, 0.998999, 1).nnz(), 10);
    }

    @Test
    void badArgumentsAreRejected() {
        assertMessage(
                () -> SmallWorldTopology.withLambda(-0.5),
                "small-world lambda (the decay exponent) must be " + "finite and >= 0, got -0.5");
        assertMessage(() -> SmallWorldTopology.withLambda(Double.NaN), "got NaN");
        assertMessage(() -> topology.connect(0, 5, 0.5, 1), "in (input features) must be positive, got 0");
        assertMessage(() -> topology.connect(5, 5, 1, 1), "sparsity must be in [0, 1)");
        assertMessage(
                () -> topology.connect(100_000, 100_000, 0.5, 1),
                "a layer of about 5000000000 connections exceeds int32 indexing");
        assertMessage(
                () -> SmallWorldTopology.withLambda(0.1).connect(100_000, 100_000, 0.99, 1),
                "exceeds int32 indexing (max 2147483639); raise lambda or split the layer",
                "lambda = 0.1");
    }

    private static void assertMessage(Executable call, String... expected) {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, call);
        for (String part : expected) {
            assertTrue(e.getMessage().contains(part), () -> "expected '" + part + "' in: " + e.getMessage());
        }
    }
}
