package org.sparselinear.topology;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.sparselinear.topology.ConnectivityAssertions.chiSquare;

import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.sparselinear.api.Connectivity;

/**
 * Statistical checks that every subset of the right size is equally likely. Seeds are fixed, so
 * the outcome is deterministic; bounds are about six standard deviations wide, loose enough for
 * any correct sampler and tight enough to catch a biased one.
 */
class RandomTopologyUniformityTest {

    private final RandomTopology topology = new RandomTopology();

    /** Every one of the 20 positions of a 4 x 5 matrix is chosen with frequency nnz / 20. */
    @Test
    void eachPositionOfASmallMatrixIsEquallyLikely() {
        int in = 5;
        int out = 4;
        int trials = 20_000;
        long[] counts = positionCounts(in, out, 0.6, trials);
        int nnz = 8;
        double expected = (double) trials * nnz / 20;
        double p = nnz / 20.0;
        double sd = Math.sqrt(trials * p * (1 - p));
        for (int position = 0; position < counts.length; position++) {
            assertTrue(
                    Math.abs(counts[position] - expected) < 6 * sd,
                    "position " + position + " chosen " + counts[position] + " times, expected about " + expected);
        }
        assertChiSquare(chiSquare(counts, expected) / (1 - p), counts.length);
    }

    /**
     * Each position of a 10 x 10 matrix at nnz = 5, where the sampler walks by geometric skips
     * (p about 0.39, not 1).
     */
    @Test
    void eachPositionIsEquallyLikelyWhenSkipping() {
        int trials = 20_000;
        long[] counts = positionCounts(10, 10, 0.95, trials);
        double p = 5 / 100.0;
        assertChiSquare(chiSquare(counts, trials * p) / (1 - p), counts.length);
    }

    /** Each of the C(50, 2) = 1225 pairs of a 5 x 10 matrix is drawn equally often. */
    @Test
    void eachSubsetIsEquallyLikely() {
        int in = 10;
        int out = 5;
        int trials = 1225 * 20;
        Map<Long, Long> subsets = new HashMap<>();
        for (int seed = 0; seed < trials; seed++) {
            Connectivity c = topology.connect(in, out, 0.96, seed);
            assertEquals(2, c.nnz());
            int[][] coo = c.toCoo();
            long first = (long) coo[0][0] * in + coo[1][0];
            long second = (long) coo[0][1] * in + coo[1][1];
            subsets.merge(first * 64 + second, 1L, Long::sum);
        }
        assertEquals(1225, subsets.size(), "every pair of positions should occur");
        long[] counts = subsets.values().stream().mapToLong(Long::longValue).toArray();
        assertChiSquare(chiSquare(counts, 20.0), 1224);
    }

    /** The connections of one large pattern spread over rows and columns like a uniform draw. */
    @Test
    void rowAndColumnCountsOfALargePatternLookUniform() {
        int in = 1000;
        int out = 800;
        Connectivity c = topology.connect(in, out, 0.99, 11);
        int nnz = c.nnz();
        long[] perRow = new long[out];
        long[] perColumn = new long[in];
        for (int r = 0; r < out; r++) {
            perRow[r] = c.rowStart(r + 1) - c.rowStart(r);
            for (int k = c.rowStart(r); k < c.rowStart(r + 1); k++) {
                perColumn[c.column(k)]++;
            }
        }
        // A row's count is hypergeometric, variance = mean * (1 - density) to within 0.1 %; likewise columns.
        double density = (double) nnz / ((long) in * out);
        assertChiSquare(chiSquare(perRow, (double) nnz / out) / (1 - density), out);
        assertChiSquare(chiSquare(perColumn, (double) nnz / in) / (1 - density), in);
    }

    private long[] positionCounts(int in, int out, double sparsity, int trials) {
        long[] counts = new long[in * out];
        for (int seed = 0; seed < trials; seed++) {
            Connectivity c = topology.connect(in, out, sparsity, seed);
            for (int r = 0; r < out; r++) {
                for (int k = c.rowStart(r); k < c.rowStart(r + 1); k++) {
                    counts[r * in + c.column(k)]++;
                }
            }
        }
        return counts;
    }

    /**
     * Requires a (normalised) chi-square-like statistic within six standard deviations
     * ({@code sqrt(2 mean)}) of its expected value: too large means bias, too small means the
     * draws are more even than chance (e.g. a fixed count per row).
     */
    private static void assertChiSquare(double statistic, int mean) {
        double sd = Math.sqrt(2.0 * mean);
        assertTrue(Math.abs(statistic - mean) < 6 * sd, "chi-square " + statistic + ", expected " + mean + " +- " + sd);
    }
}
