package org.sparselinear.topology;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** The two runs of every output cover each input exactly once, at its distance on the line. */
class SmallWorldLineTest {

    @ParameterizedTest
    @CsvSource({"1, 1", "1, 6", "6, 1", "5, 5", "4, 9", "9, 4", "10, 30", "30, 10", "7, 12", "12, 7"})
    void runsCoverEveryInputOnceAtItsDistance(int in, int out) {
        SmallWorldLine line = new SmallWorldLine(in, out);
        double inputOffset = Math.max(0, out - in) / 2.0;
        double outputOffset = Math.max(0, in - out) / 2.0;
        double[] pairs = new double[line.steps()];
        for (int o = 0; o < out; o++) {
            int[] seen = new int[in];
            for (int j = line.rightFirst(o); j <= line.rightLast(o); j++) {
                int i = line.rightOrigin(o) + j;
                seen[i]++;
                pairs[j]++;
                assertEquals(Math.abs(o + outputOffset - (i + inputOffset)), line.distance(j), "right run, o=" + o);
            }
            for (int j = line.leftFirst(o); j <= line.leftLast(o); j++) {
                int i = line.leftOrigin(o) - j;
                seen[i]++;
                pairs[j]++;
                assertEquals(Math.abs(o + outputOffset - (i + inputOffset)), line.distance(j), "left run, o=" + o);
            }
            for (int i = 0; i < in; i++) {
                assertEquals(1, seen[i], "input " + i + " of output " + o);
            }
        }
        assertArrayEquals(pairs, line.pairsPerStep());
    }
}
