package org.sparselinear.spi;

import org.sparselinear.api.Backend;

/**
 * A running selection of the {@code capacity} best {@code (magnitude, position)} candidates, in
 * the order {@link Backend#topKAbsDenseGradient} defines: a larger magnitude is better, a NaN
 * magnitude is worse than every number, and equal magnitudes prefer the lower position. A
 * building block for backends written in Java (each worker keeps one and {@link #addAll merges}
 * them); memory is O(capacity), whatever the number of candidates offered.
 *
 * <p>A binary min-heap whose root is the worst candidate kept, so a candidate that does not beat
 * it costs one comparison. Not thread-safe.
 */
public final class RunningTopK {

    private final int capacity;
    private final int[] ranks;
    private final long[] positions;
    private int size;

    /** A selection of at most {@code capacity >= 0} candidates. */
    public RunningTopK(int capacity) {
        if (capacity < 0) {
            throw new IllegalArgumentException("top-k capacity must be >= 0, got " + capacity);
        }
        this.capacity = capacity;
        this.ranks = new int[capacity];
        this.positions = new long[capacity];
    }

    /**
     * The magnitude as an int that orders like the magnitude: NaN lowest, then -infinity up to
     * +infinity, with {@code -0.0} and {@code 0.0} equal.
     */
    public static int rank(float magnitude) {
        if (Float.isNaN(magnitude)) {
            return Integer.MIN_VALUE;
        }
        int bits = Float.floatToRawIntBits(magnitude == 0f ? 0f : magnitude);
        return bits < 0 ? bits ^ 0x7fffffff : bits;
    }

    /**
     * {@code rank(Math.abs(value))}, without a branch on the value: the bits of the magnitude
     * already order like it, {@code -0.0} included, and only NaN (rare) takes another path. The
     * loops that rank millions of weights or gradients call it, where the zero test of
     * {@link #rank} mispredicts on every connection grown at zero.
     */
    public static int rankOfMagnitude(float value) {
        int bits = Float.floatToRawIntBits(value) & 0x7fffffff;
        return bits > 0x7f800000 ? Integer.MIN_VALUE : bits;
    }

    /** Number of candidates kept, at most the capacity. */
    public int size() {
        return size;
    }

    /** Offers a candidate; it is kept when there is room or it beats the worst one kept. */
    public void offer(float magnitude, long position) {
        offerRanked(rank(magnitude), position);
    }

    /** {@link #offer} with the magnitude already turned into its {@link #rank}. */
    public void offerRanked(int rank, long position) {
        if (size < capacity) {
            ranks[size] = rank;
            positions[size] = position;
            siftUp(size++);
        } else if (capacity > 0 && better(rank, position, ranks[0], positions[0])) {
            ranks[0] = rank;
            positions[0] = position;
            siftDown(0, size);
        }
    }

    /**
     * Whether {@link #offerRanked} would keep this candidate: there is room, or it beats the worst
     * one kept. A caller offering candidates of one rank in increasing position can stop at the
     * first that would not be kept: every later one would not be either.
     */
    public boolean wouldKeep(int rank, long position) {
        return size < capacity || (capacity > 0 && better(rank, position, ranks[0], positions[0]));
    }

    /** The rank a candidate must exceed to be kept once the selection is full ({@code Integer.MIN_VALUE} before). */
    public int thresholdRank() {
        return size < capacity || capacity == 0 ? Integer.MIN_VALUE : ranks[0];
    }

    /** Offers every candidate of {@code other}. */
    public void addAll(RunningTopK other) {
        for (int i = 0; i < other.size; i++) {
            offerRanked(other.ranks[i], other.positions[i]);
        }
    }

    /** The positions kept, best first; empties the selection. */
    public long[] drainBestFirst() {
        long[] ordered = new long[size];
        for (int end = size - 1; end >= 0; end--) {
            ordered[end] = positions[0];
            ranks[0] = ranks[end];
            positions[0] = positions[end];
            siftDown(0, end);
        }
        size = 0;
        return ordered;
    }

    /** Whether candidate a is better than candidate b. */
    private static boolean better(int rankA, long positionA, int rankB, long positionB) {
        return rankA > rankB || (rankA == rankB && positionA < positionB);
    }

    private void siftUp(int index) {
        int rank = ranks[index];
        long position = positions[index];
        while (index > 0) {
            int parent = (index - 1) >>> 1;
            if (!better(ranks[parent], positions[parent], rank, position)) {
                break;
            }
            ranks[index] = ranks[parent];
            positions[index] = positions[parent];
            index = parent;
        }
        ranks[index] = rank;
        positions[index] = position;
    }

    private void siftDown(int index, int end) {
        int rank = ranks[index];
        long position = positions[index];
        while (true) {
            int child = 2 * index + 1;
            if (child >= end) {
                break;
            }
            if (child + 1 < end && better(ranks[child], positions[child], ranks[child + 1], positions[child + 1])) {
                child++;
            }
            if (!better(rank, position, ranks[child], positions[child])) {
                break;
            }
            ranks[index] = ranks[child];
            positions[index] = positions[child];
            index = child;
        }
        ranks[index] = rank;
        positions[index] = position;
    }
}
