package org.sparselinear.spi;

import java.util.Arrays;

/**
 * Selection of the {@code k}-th smallest of many {@link RunningTopK#rank ranks} in linear time, by
 * two counting passes over their high and low 16 bits (a most-significant-digit radix select):
 * the building block of a partial selection that finds a threshold first and then collects the
 * candidates on its side in one more pass, where sorting them all, or a heap of {@code k} of them,
 * would cost {@code log} factors. Ordering the collected candidates by rank takes the same digits
 * the other way round, least significant first ({@link #byDescendingRank}), in linear time too.
 * Stateless; each call allocates a 256 KiB table of counts.
 */
public final class RankSelection {

    private static final int DIGIT = 1 << 16;

    private RankSelection() {}

    /**
     * The {@code k}-th smallest of {@code ranks[0, length)} (1-based: {@code k = 1} gives the
     * minimum), the rank {@code T} with fewer than {@code k} ranks below it and at least {@code k}
     * at or below it.
     *
     * @throws IllegalArgumentException unless {@code 1 <= k <= length <= ranks.length}
     */
    public static int kthSmallest(int[] ranks, int length, int k) {
        if (length > ranks.length || k < 1 || k > length) {
            throw new IllegalArgumentException("expected 1 <= k <= length <= " + ranks.length + " ranks, got k = " + k
                    + " and length = " + length);
        }
        int[] counts = new int[DIGIT];
        for (int j = 0; j < length; j++) {
            counts[high(ranks[j])]++;
        }
        int highDigit = digitHolding(counts, k);
        int remaining = k - below(counts, highDigit);
        Arrays.fill(counts, 0);
        for (int j = 0; j < length; j++) {
            if (high(ranks[j]) == highDigit) {
                counts[ranks[j] & (DIGIT - 1)]++;
            }
        }
        int lowDigit = digitHolding(counts, remaining);
        return ((highDigit << 16) | lowDigit) ^ Integer.MIN_VALUE;
    }

    /** The {@code k}-th largest of {@code ranks[0, length)} ({@code k = 1} gives the maximum). */
    public static int kthLargest(int[] ranks, int length, int k) {
        if (k < 1 || k > length) {
            throw new IllegalArgumentException("expected 1 <= k <= length, got k = " + k + " and length = " + length);
        }
        return kthSmallest(ranks, length, length - k + 1);
    }

    /**
     * The {@code candidates} (indices into {@code ranks}) ordered by descending rank, ties in their
     * given order: a stable least-significant-digit radix sort, two counting passes over the low
     * and the high 16 bits, where a comparison sort of millions (RigL's first growth steps) costs a
     * {@code log} factor. The candidates are not changed.
     *
     * @return a new array of the candidates, best first
     */
    public static int[] byDescendingRank(int[] ranks, int[] candidates) {
        int[] low = byDigit(ranks, candidates, 0);
        return byDigit(ranks, low, 16);
    }

    /** The candidates stably ordered by the descending 16-bit digit at {@code shift} of their rank. */
    private static int[] byDigit(int[] ranks, int[] candidates, int shift) {
        int[] next = new int[DIGIT + 1];
        for (int j : candidates) {
            next[descendingDigit(ranks[j], shift) + 1]++;
        }
        for (int digit = 0; digit < DIGIT; digit++) {
            next[digit + 1] += next[digit];
        }
        int[] ordered = new int[candidates.length];
        for (int j : candidates) {
            ordered[next[descendingDigit(ranks[j], shift)]++] = j;
        }
        return ordered;
    }

    /** The digit at {@code shift} of a rank, counted so that ascending digits mean descending ranks. */
    private static int descendingDigit(int rank, int shift) {
        return (~(rank ^ Integer.MIN_VALUE) >>> shift) & (DIGIT - 1);
    }

    /** The high 16 bits of a rank read as unsigned, so that digits order like the signed ranks. */
    private static int high(int rank) {
        return (rank ^ Integer.MIN_VALUE) >>> 16;
    }

    /** The digit whose bucket holds the {@code k}-th smallest element. */
    private static int digitHolding(int[] counts, int k) {
        int seen = 0;
        for (int digit = 0; digit < DIGIT; digit++) {
            seen += counts[digit];
            if (seen >= k) {
                return digit;
            }
        }
        throw new IllegalStateException("fewer than " + k + " elements counted");
    }

    private static int below(int[] counts, int digit) {
        int sum = 0;
        for (int d = 0; d < digit; d++) {
            sum += counts[d];
        }
        return sum;
    }
}
