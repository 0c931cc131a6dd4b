package org.sparselinear.benchmarks;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.junit.jupiter.api.Test;

/** Every part runs once per job, part 0 on the caller, and a failing part fails the job. */
class SpinningPartsTest {

    @Test
    void runsEveryPartOncePerJobAndSumsTheirResults() throws InterruptedException {
        try (SpinningParts parts = new SpinningParts(3)) {
            for (int job = 1; job <= 200; job++) {
                int scale = job;
                Set<Integer> ran = ConcurrentHashMap.newKeySet();
                Thread caller = Thread.currentThread();
                Set<Thread> onCaller = ConcurrentHashMap.newKeySet();
                double total = parts.run(p -> {
                    ran.add(p);
                    if (p == 0) {
                        onCaller.add(Thread.currentThread());
                    }
                    return scale * (p + 1);
                });
                assertEquals(scale * 6.0, total, "job " + job);
                assertEquals(Set.of(0, 1, 2), ran, "job " + job);
                assertEquals(Set.of(caller), onCaller);
            }
        }
    }

    @Test
    void aFailingPartFailsTheJobAndTheNextJobRuns() throws InterruptedException {
        try (SpinningParts parts = new SpinningParts(2)) {
            ArithmeticException cause = new ArithmeticException("part 1");
            IllegalStateException e = assertThrows(
                    IllegalStateException.class,
                    () -> parts.run(p -> {
                        if (p == 1) {
                            throw cause;
                        }
                        return 0;
                    }));
            assertSame(cause, e.getCause());
            assertEquals(3.0, parts.run(p -> p + 1));
        }
    }

    @Test
    void oneThreadRunsOnTheCallerAlone() throws InterruptedException {
        try (SpinningParts single = new SpinningParts(1)) {
            assertEquals(7.0, single.run(p -> 7));
        }
        assertThrows(IllegalArgumentException.class, () -> new SpinningParts(0));
    }

    @Test
    void closeStopsTheSpinningThreads() throws InterruptedException {
        SpinningParts parts = new SpinningParts(3);
        assertEquals(2, liveSpinningThreads());
        parts.close();
        assertEquals(0, liveSpinningThreads());
    }

    private static long liveSpinningThreads() {
        return Thread.getAllStackTraces().keySet().stream()
                .filter(t -> t.getName().startsWith("spinning-part-") && t.isAlive())
                .count();
    }
}
