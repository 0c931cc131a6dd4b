package org.sparselinear.topology;

import java.util.SplittableRandom;

/**
 * The positions {@code 0 .. size - 1} each taken independently with probability {@code p}, in
 * increasing order, visited by geometric skips: the gap to the next taken position is
 * {@code floor(ln U / ln(1 - p))} with {@code U} uniform in {@code (0, 1]}. With {@code p == 1}
 * every position is taken. Two walks with the same arguments visit the same positions.
 */
final class GeometricWalk {

    private final long size;
    private final boolean takeAll;
    private final double inverseLogMiss;
    private final SplittableRandom random;
    private long position = -1;

    GeometricWalk(long size, double p, long seed) {
        this.size = size;
        this.takeAll = p >= 1;
        this.inverseLogMiss = 1 / Math.log1p(-p);
        this.random = new SplittableRandom(seed);
    }

    /** The number of positions walked over; {@link #next()} returns it when the walk is done. */
    long size() {
        return size;
    }

    /** The next taken position, or {@link #size()} when there is none left. */
    long next() {
        if (takeAll) {
            position = Math.min(position + 1, size);
            return position;
        }
        double gap = Math.floor(Math.log(1.0 - random.nextDouble()) * inverseLogMiss);
        if (gap >= size - 1 - position) {
            position = size;
        } else {
            position += 1 + (long) gap;
        }
        return position;
    }
}
