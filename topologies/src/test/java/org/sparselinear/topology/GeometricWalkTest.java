package org.sparselinear.topology;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.sparselinear.topology.ConnectivityAssertions.chiSquare;

import org.junit.jupiter.api.Test;

class GeometricWalkTest {

    @Test
    void gapsAreGeometric() {
        double p = 0.3;
        int size = 1_000_000;
        GeometricWalk walk = new GeometricWalk(size, p, 77);
        int maxGap = 12;
        long[] gaps = new long[maxGap + 1];
        long taken = 0;
        long previous = -1;
        for (long position = walk.next(); position < size; position = walk.next()) {
            assertTrue(position > previous, "positions must increase");
            gaps[(int) Math.min(maxGap, position - previous - 1)]++;
            previous = position;
            taken++;
        }
        double sd = Math.sqrt(size * p * (1 - p));
        assertTrue(Math.abs(taken - size * p) < 6 * sd, "took " + taken + " of " + size + " at p = " + p);
        double statistic = 0;
        for (int k = 0; k <= maxGap; k++) {
            double probability = k < maxGap ? Math.pow(1 - p, k) * p : Math.pow(1 - p, maxGap);
            double expected = taken * probability;
            statistic += chiSquare(new long[] {gaps[k]}, expected);
        }
        assertTrue(
                Math.abs(statistic - maxGap) < 6 * Math.sqrt(2.0 * maxGap),
                "gap histogram chi-square " + statistic + " with " + maxGap + " degrees of freedom");
    }

    @Test
    void probabilityOneTakesEveryPositionThenStays() {
        GeometricWalk walk = new GeometricWalk(5, 1.0, 3);
        for (long expected = 0; expected < 5; expected++) {
            assertEquals(expected, walk.next());
        }
        assertEquals(5, walk.next());
        assertEquals(5, walk.next());
    }

    @Test
    void sameSeedReplaysTheSamePositions() {
        GeometricWalk first = new GeometricWalk(1000, 0.1, 9);
        GeometricWalk second = new GeometricWalk(1000, 0.1, 9);
        for (long position = first.next(); position < 1000; position = first.next()) {
            assertEquals(position, second.next());
        }
        assertEquals(1000, second.next());
    }

    @Test
    void hugeRangeWithTinyProbabilityNeverOverflows() {
        long size = (long) Integer.MAX_VALUE * Integer.MAX_VALUE;
        GeometricWalk walk = new GeometricWalk(size, 1e-15, 5);
        long previous = -1;
        int taken = 0;
        for (long position = walk.next(); position < size; position = walk.next()) {
            assertTrue(position > previous && position >= 0, "position " + position + " after " + previous);
            previous = position;
            taken++;
        }
        assertEquals(size, walk.next(), "a finished walk stays finished");
        assertTrue(taken < 20_000, "expected about 4600 positions, took " + taken);
    }
}
