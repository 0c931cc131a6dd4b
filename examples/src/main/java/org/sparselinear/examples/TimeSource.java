package org.sparselinear.examples;

import java.time.Instant;

/**
 * Where the CLI reads time: a monotonic clock for durations and the wall clock for time stamps.
 * Commands never call {@link System#nanoTime()} directly, so tests can run them with a fixed clock.
 */
public interface TimeSource {

    /** A monotonic reading in nanoseconds, for durations only. */
    long monotonicNanos();

    /** The current instant, for time stamps in records and default file names. */
    Instant now();

    /** The system clocks. */
    static TimeSource system() {
        return new TimeSource() {
            @Override
            public long monotonicNanos() {
                return System.nanoTime();
            }

            @Override
            public Instant now() {
                return Instant.now();
            }
        };
    }
}
