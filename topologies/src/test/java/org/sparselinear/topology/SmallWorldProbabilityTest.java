package org.sparselinear.topology;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;
import org.sparselinear.api.Connectivity;

/**
 * Statistical checks that each pair {@code (o, i)} is connected independently with probability
 * {@code (d + 1)^-lambda}. Seeds are fixed, so the outcome is deterministic; bounds are about six
 * standard deviations wide, loose enough for any exact sampler and tight enough to catch a
 * biased one (a decay off by 2 % in lambda fails the chi-square).
 */
class SmallWorldProbabilityTest {

    /** 20 inputs, 30 outputs (whole distances, inputs offset by 5), lambda solved for 80 % sparsity. */
    @Test
    void eachPairIsConnectedWithItsProbabilityWhenLambdaIsSolved() {
        SmallWorldTopology topology = SmallWorldTopology.solvingLambda();
        double lambda = topology.lambda(20, 30, 0.8);
        assertPairFrequencies(topology, 20, 30, 0.8, lambda, 20_000);
    }

    /** 27 inputs, 20 outputs (distances k + 1/2, outputs offset by 3.5), a fixed lambda. */
    @Test
    void eachPairIsConnectedWithItsProbabilityWhenLambdaIsFixed() {
        assertPairFrequencies(SmallWorldTopology.withLambda(1.3), 27, 20, 0.5, 1.3, 20_000);
    }

    private static void assertPairFrequencies(
            SmallWorldTopology topology, int in, int out, double sparsity, double lambda, int trials) {
        long[] counts = new long[in * out];
        double sumOfCounts = 0;
        double sumOfSquaredCounts = 0;
        for (int seed = 0; seed < trials; seed++) {
            Connectivity c = topology.connect(in, out, sparsity, seed);
            for (int o = 0; o < out; o++) {
                for (int k = c.rowStart(o); k < c.rowStart(o + 1); k++) {
                    counts[o * in + c.column(k)]++;
                }
            }
            sumOfCounts += c.nnz();
            sumOfSquaredCounts += (double) c.nnz() * c.nnz();
        }
        double chiSquare = 0;
        int degrees = 0;
        double expectedVariance = 0;
        for (int o = 0; o < out; o++) {
            for (int i = 0; i < in; i++) {
                double distance = Math.abs(2.0 * o + in - out - 2.0 * i) / 2;
                double p = Math.pow(distance + 1, -lambda);
                long observed = counts[o * in + i];
                if (p == 1) {
                    assertEquals(trials, observed, "pair (" + o + ", " + i + ") at distance 0 is always connected");
                    continue;
                }
                double variance = trials * p * (1 - p);
                double deviation = (observed - trials * p) / Math.sqrt(variance);
                assertTrue(
                        Math.abs(deviation) < 5.5,
                        "pair (" + o + ", " + i + ") at distance " + distance + ": connected " + observed + " times in "
                                + trials + ", expected " + trials * p);
                chiSquare += deviation * deviation;
                degrees++;
                expectedVariance += p * (1 - p);
            }
        }
        double spread = 6 * Math.sqrt(2.0 * degrees);
        assertTrue(Math.abs(chiSquare - degrees) < spread, "chi-square " + chiSquare + ", expected " + degrees);
        // Independent draws: the count's variance is the sum of p (1 - p); correlated ones would move it.
        double mean = sumOfCounts / trials;
        double variance = sumOfSquaredCounts / trials - mean * mean;
        assertEquals(
                expectedVariance,
                variance,
                6 * Math.sqrt(2.0 / trials) * expectedVariance,
                "variance of the connection count");
    }
}
