package org.sparselinear.examples;

import java.lang.management.ManagementFactory;
import java.lang.management.MemoryPoolMXBean;
import java.lang.management.MemoryType;

/** Java heap readings for the commands that report memory: in use now, and the peak since a reset. */
final class HeapUsage {

    /** Bytes in a mebibyte, for printing. */
    static final double MIB = 1024.0 * 1024;

    private HeapUsage() {}

    /** Heap bytes in use now. */
    static long used() {
        return ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed();
    }

    /**
     * Heap bytes in use after a full collection ({@link System#gc()}, which the JVMs this runs on
     * honour unless started with {@code -XX:+DisableExplicitGC}): what live objects retain.
     */
    static long usedAfterCollection() {
        System.gc();
        return used();
    }

    /** Starts a new peak measurement. */
    static void resetPeak() {
        for (MemoryPoolMXBean pool : ManagementFactory.getMemoryPoolMXBeans()) {
            if (pool.getType() == MemoryType.HEAP) {
                pool.resetPeakUsage();
            }
        }
    }

    /** The sum of each heap pool's peak since {@link #resetPeak()}: an upper bound of the peak heap. */
    static long peak() {
        long sum = 0;
        for (MemoryPoolMXBean pool : ManagementFactory.getMemoryPoolMXBeans()) {
            if (pool.getType() == MemoryType.HEAP) {
                sum += pool.getPeakUsage().getUsed();
            }
        }
        return sum;
    }
}
