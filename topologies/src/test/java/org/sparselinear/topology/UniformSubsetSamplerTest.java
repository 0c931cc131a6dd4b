package org.sparselinear.topology;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.sparselinear.topology.ConnectivityAssertions.assertValid;
import static org.sparselinear.topology.ConnectivityAssertions.chiSquare;

import org.junit.jupiter.api.Test;
import org.sparselinear.api.Connectivity;

/** The sampler's redraw path, forced with a candidate probability that is often too small. */
class UniformSubsetSamplerTest {

    @Test
    void redrawsUntilThereAreEnoughCandidates() {
        // p = nnz / N: about half of the walks find fewer than nnz candidates and are redrawn.
        for (long seed = 0; seed < 200; seed++) {
            Connectivity c = UniformSubsetSampler.sample(30, 40, 120, 0.1, seed);
            assertEquals(120, c.nnz());
            assertValid(c, 40, 30);
        }
    }

    @Test
    void redrawnSubsetsAreStillUniform() {
        int trials = 10_000;
        long[] counts = new long[50];
        for (long seed = 0; seed < trials; seed++) {
            Connectivity c = UniformSubsetSampler.sample(5, 10, 10, 0.2, seed);
            for (int r = 0; r < 5; r++) {
                for (int k = c.rowStart(r); k < c.rowStart(r + 1); k++) {
                    counts[r * 10 + c.column(k)]++;
                }
            }
        }
        double density = 10 / 50.0;
        double statistic = chiSquare(counts, trials * density) / (1 - density);
        assertTrue(Math.abs(statistic - 50) < 6 * Math.sqrt(100), "chi-square " + statistic + ", expected 50");
    }

    @Test
    void sameSeedGivesSamePatternAcrossRedraws() {
        assertEquals(
                UniformSubsetSampler.sample(30, 40, 120, 0.1, 5), UniformSubsetSampler.sample(30, 40, 120, 0.1, 5));
    }
}
