package org.sparselinear.topology;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class SmallWorldLambdaTest {

    @ParameterizedTest
    @CsvSource({"20, 30", "30, 20", "27, 20", "784, 2000", "1000, 1000"})
    void expectedCountIsTheSumOverAllPairs(int in, int out) {
        SmallWorldLambda solver = new SmallWorldLambda(new SmallWorldLine(in, out));
        for (double lambda : new double[] {0, 0.3, 1, 2.5}) {
            double direct = 0;
            for (int o = 0; o < out; o++) {
                for (int i = 0; i < in; i++) {
                    double distance = Math.abs(2.0 * o + in - out - 2.0 * i) / 2;
                    direct += Math.pow(distance + 1, -lambda);
                }
            }
            assertEquals(direct, solver.expectedCount(lambda), 1e-9 * direct, "lambda = " + lambda);
        }
        assertEquals((double) in * out, solver.expectedCount(0));
    }

    @ParameterizedTest
    @CsvSource({"20, 30", "27, 20", "1000, 1000", "100, 5000"})
    void expectedCountFallsAndTheSolvedLambdaRisesWithSparsity(int in, int out) {
        SmallWorldLambda solver = new SmallWorldLambda(new SmallWorldLine(in, out));
        double previous = Double.POSITIVE_INFINITY;
        for (double lambda = 0; lambda <= 8; lambda += 0.05) {
            double expected = solver.expectedCount(lambda);
            assertTrue(expected < previous, "E(" + lambda + ") = " + expected + " after " + previous);
            assertTrue(expected > solver.limit());
            previous = expected;
        }
        double previousLambda = -1;
        for (double sparsity : new double[] {0, 0.1, 0.5, 0.8, 0.9, 0.95}) {
            long nnz = Math.round((1 - sparsity) * in * out);
            double lambda = solver.solve(nnz);
            double before = previousLambda;
            assertTrue(lambda > before, () -> "sparsity " + sparsity + ": lambda " + lambda + " after " + before);
            assertEquals(nnz, solver.expectedCount(lambda), 1e-8 * nnz);
            previousLambda = lambda;
        }
    }

    @Test
    void limitIsThePairsAtDistanceZero() {
        assertEquals(20, new SmallWorldLambda(new SmallWorldLine(20, 30)).limit(), "every input faces an output");
        assertEquals(20, new SmallWorldLambda(new SmallWorldLine(30, 20)).limit());
        assertEquals(0, new SmallWorldLambda(new SmallWorldLine(27, 20)).limit(), "odd difference: no distance 0");
    }

    @Test
    void solvesCountsJustAboveTheLimit() {
        SmallWorldLambda even = new SmallWorldLambda(new SmallWorldLine(200, 300));
        assertEquals(201, even.expectedCount(even.solve(201)), 1e-8 * 201);
        SmallWorldLambda odd = new SmallWorldLambda(new SmallWorldLine(201, 300));
        assertEquals(1, odd.expectedCount(odd.solve(1)), 1e-8);
    }

    @Test
    void unreachableCountsAreRejected() {
        SmallWorldLambda solver = new SmallWorldLambda(new SmallWorldLine(20, 30));
        IllegalArgumentException low = assertThrows(IllegalArgumentException.class, () -> solver.solve(20));
        assertTrue(low.getMessage().contains("no small-world lambda gives 20 connections"), low.getMessage());
        assertThrows(IllegalArgumentException.class, () -> solver.solve(601));
        assertEquals(0, solver.solve(600));
    }
}
