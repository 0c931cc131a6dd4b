package org.sparselinear.spi;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class RunningTopKTest {

    @Test
    void keepsTheLargestWithTiesToTheLowerPositionAndNanLast() {
        RunningTopK top = new RunningTopK(4);
        top.offer(1f, 10);
        top.offer(Float.NaN, 0);
        top.offer(3f, 7);
        top.offer(3f, 2);
        top.offer(0.5f, 1);
        top.offer(-0f, 3);
        top.offer(2f, 9);
        assertEquals(4, top.size());
        assertArrayEquals(new long[] {2, 7, 9, 10}, top.drainBestFirst());
        assertEquals(0, top.size());
    }

    @Test
    void wouldKeepTellsWhatOfferDoes() {
        RunningTopK top = new RunningTopK(2);
        int one = RunningTopK.rank(1f);
        assertTrue(top.wouldKeep(RunningTopK.rank(Float.NaN), 9), "room left");
        top.offer(1f, 5);
        top.offer(2f, 1);
        assertTrue(top.wouldKeep(one, 4), "equal magnitude, lower position");
        assertFalse(top.wouldKeep(one, 6), "equal magnitude, higher position");
        assertTrue(top.wouldKeep(RunningTopK.rank(1.5f), 99));
        assertFalse(new RunningTopK(0).wouldKeep(one, 0));
        top.offerRanked(one, 4);
        assertArrayEquals(new long[] {1, 4}, top.drainBestFirst());
    }

    @Test
    void nanIsKeptOnlyWhenThereIsRoomAndRanksLast() {
        RunningTopK top = new RunningTopK(3);
        top.offer(Float.NaN, 0);
        top.offer(Float.NEGATIVE_INFINITY, 5);
        top.offer(0f, 4);
        assertArrayEquals(new long[] {4, 5, 0}, top.drainBestFirst());
        assertTrue(RunningTopK.rank(Float.NaN) < RunningTopK.rank(Float.NEGATIVE_INFINITY));
        assertEquals(RunningTopK.rank(0f), RunningTopK.rank(-0f));
        assertTrue(RunningTopK.rank(-1f) < RunningTopK.rank(-0.5f) && RunningTopK.rank(0.5f) < RunningTopK.rank(1f));
    }

    @Test
    void mergingPartsEqualsOneSelectionOverAll() {
        SplittableRandom random = new SplittableRandom(3);
        float[] values = new float[5000];
        for (int i = 0; i < values.length; i++) {
            values[i] = random.nextInt(50) / 4f;
        }
        RunningTopK all = new RunningTopK(100);
        RunningTopK[] parts = {new RunningTopK(100), new RunningTopK(100), new RunningTopK(100)};
        for (int i = 0; i < values.length; i++) {
            all.offer(values[i], i);
            parts[i % 3].offer(values[i], i);
        }
        parts[0].addAll(parts[1]);
        parts[0].addAll(parts[2]);
        long[] expected = all.drainBestFirst();
        assertArrayEquals(expected, parts[0].drainBestFirst());
        List<Integer> order = new ArrayList<>();
        for (int i = 0; i < values.length; i++) {
            order.add(i);
        }
        order.sort((a, b) -> values[a] != values[b] ? Float.compare(values[b], values[a]) : Integer.compare(a, b));
        for (int j = 0; j < expected.length; j++) {
            assertEquals(order.get(j).longValue(), expected[j], "position " + j);
        }
    }

    @Test
    void zeroCapacityKeepsNothing() {
        RunningTopK none = new RunningTopK(0);
        none.offer(5f, 1);
        assertEquals(0, none.size());
        assertEquals(0, none.drainBestFirst().length);
        assertThrows(IllegalArgumentException.class, () -> new RunningTopK(-1));
    }

    @Test
    void theRankOfAMagnitudeIsTheRankOfTheAbsoluteValueForEveryKindOfFloat() {
        SplittableRandom random = new SplittableRandom(8);
        List<Float> values = new ArrayList<>(List.of(
                0f,
                -0f,
                Float.MIN_VALUE,
                -Float.MIN_VALUE,
                Float.MIN_NORMAL,
                1f,
                -1f,
                Float.MAX_VALUE,
                -Float.MAX_VALUE,
                Float.POSITIVE_INFINITY,
                Float.NEGATIVE_INFINITY,
                Float.NaN,
                Float.intBitsToFloat(0xffc00001))); // a negative NaN with payload
        for (int i = 0; i < 1000; i++) {
            values.add(Float.intBitsToFloat(random.nextInt()));
        }
        for (float value : values) {
            assertEquals(
                    RunningTopK.rank(Math.abs(value)),
                    RunningTopK.rankOfMagnitude(value),
                    () -> "value with bits " + Integer.toHexString(Float.floatToRawIntBits(value)));
        }
    }
}
