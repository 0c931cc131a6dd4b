package org.sparselinear.backend.cpu;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicIntegerArray;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** {@link WorkerPool}: every part runs once, failures come back, and no hand-off is lost, spinning or parked. */
class WorkerPoolTest {

    private static final Duration HANG = Duration.ofSeconds(60);

    @ParameterizedTest(name = "{0} threads, {1} parts, spin {2} us")
    @CsvSource({"1, 5, 0", "2, 1, 500", "2, 2, 0", "2, 2, 500", "3, 2, 500", "3, 17, 0", "3, 17, 500", "4, 64, 50"})
    void runsEveryPartExactlyOnce(int threads, int parts, long spinMicros) {
        try (WorkerPool pool = new WorkerPool(threads, TimeUnit.MICROSECONDS.toNanos(spinMicros))) {
            assertTimeoutPreemptively(HANG, () -> {
                for (int round = 0; round < 2_000; round++) {
                    AtomicIntegerArray runs = new AtomicIntegerArray(parts);
                    pool.run(parts, runs::incrementAndGet);
                    for (int p = 0; p < parts; p++) {
                        assertEquals(1, runs.get(p), "part " + p + " of round " + round);
                    }
                }
            });
        }
    }

    @Test
    void runsPartZeroOnTheCallingThread() {
        try (WorkerPool pool = new WorkerPool(3, 0)) {
            Thread caller = Thread.currentThread();
            Thread[] ranPartZero = new Thread[1];
            pool.run(3, p -> {
                if (p == 0) {
                    ranPartZero[0] = Thread.currentThread();
                }
            });
            assertSame(caller, ranPartZero[0]);
        }
    }

    @Test
    void rethrowsAPartsFailureAfterEveryOtherPartHasFinished() {
        try (WorkerPool pool = new WorkerPool(2, TimeUnit.MICROSECONDS.toNanos(500))) {
            AtomicInteger finished = new AtomicInteger();
            IllegalStateException thrown = assertThrows(
                    IllegalStateException.class,
                    () -> pool.run(8, p -> {
                        if (p == 5) {
                            throw new IllegalStateException("part 5 failed");
                        }
                        finished.incrementAndGet();
                    }));
            assertEquals("part 5 failed", thrown.getMessage());
            assertEquals(7, finished.get());
            AtomicInteger after = new AtomicInteger();
            pool.run(4, p -> after.incrementAndGet());
            assertEquals(4, after.get(), "the pool works after a failure");
        }
    }

    @Test
    void aCallFromInsideAPartRunsOnItsThread() {
        try (WorkerPool pool = new WorkerPool(3, TimeUnit.MICROSECONDS.toNanos(100))) {
            AtomicIntegerArray inner = new AtomicIntegerArray(3 * 4);
            assertTimeoutPreemptively(
                    HANG,
                    () -> pool.run(3, outer -> {
                        Thread thread = Thread.currentThread();
                        pool.run(4, p -> {
                            assertSame(thread, Thread.currentThread());
                            inner.incrementAndGet(outer * 4 + p);
                        });
                    }));
            for (int k = 0; k < inner.length(); k++) {
                assertEquals(1, inner.get(k), "inner part " + k);
            }
        }
    }

    @Test
    void callersOnSeveralThreadsAllGetTheirPartsRun() throws Exception {
        try (WorkerPool pool = new WorkerPool(2, TimeUnit.MICROSECONDS.toNanos(200))) {
            int callers = 4;
            int rounds = 500;
            AtomicInteger wrong = new AtomicInteger();
            List<Thread> threads = new ArrayList<>();
            for (int c = 0; c < callers; c++) {
                Thread thread = new Thread(() -> {
                    for (int round = 0; round < rounds; round++) {
                        AtomicIntegerArray runs = new AtomicIntegerArray(5);
                        pool.run(5, runs::incrementAndGet);
                        for (int p = 0; p < 5; p++) {
                            if (runs.get(p) != 1) {
                                wrong.incrementAndGet();
                            }
                        }
                    }
                });
                threads.add(thread);
                thread.start();
            }
            for (Thread thread : threads) {
                thread.join(HANG.toMillis());
                assertTrue(!thread.isAlive(), "a caller is stuck");
            }
            assertEquals(0, wrong.get(), "parts not run exactly once");
        }
    }

    @Test
    void idleWorkersEndAndTheNextKernelStartsThemAgain() throws InterruptedException {
        try (WorkerPool pool = new WorkerPool(3, 0, TimeUnit.MILLISECONDS.toNanos(50))) {
            assertEquals(0, pool.liveWorkers(), "no worker before the first kernel");
            AtomicInteger runs = new AtomicInteger();
            pool.run(3, p -> runs.incrementAndGet());
            awaitLiveWorkers(pool, 0);
            pool.run(3, p -> runs.incrementAndGet());
            assertEquals(6, runs.get());
            assertTrue(pool.liveWorkers() > 0, "the second kernel started the workers again");
        }
    }

    @Test
    void aKernelOfFewPartsWakesOnlyTheWorkersItNeeds() {
        try (WorkerPool pool = new WorkerPool(4, 0)) {
            AtomicInteger runs = new AtomicInteger();
            pool.run(2, p -> runs.incrementAndGet());
            assertEquals(2, runs.get());
            assertEquals(1, pool.liveWorkers(), "a 2-part kernel on 4 threads starts one worker");
        }
    }

    @Test
    void closingEndsTheWorkersAndLaterKernelsStillRun() throws InterruptedException {
        WorkerPool pool = new WorkerPool(3, TimeUnit.MICROSECONDS.toNanos(500));
        pool.run(3, p -> {});
        pool.close();
        awaitLiveWorkers(pool, 0);
        AtomicInteger runs = new AtomicInteger();
        pool.run(5, p -> runs.incrementAndGet());
        assertEquals(5, runs.get(), "the caller runs every part itself");
        assertEquals(0, pool.liveWorkers());
    }

    @Test
    void theSpinPropertyIsReadInMicrosecondsAndABadValueIsRefused() {
        String previous = System.getProperty(WorkerPool.SPIN_PROPERTY);
        try {
            System.setProperty(WorkerPool.SPIN_PROPERTY, "250");
            assertEquals(250_000, WorkerPool.spinNanosFromProperty());
            System.setProperty(WorkerPool.SPIN_PROPERTY, " 0 ");
            assertEquals(0, WorkerPool.spinNanosFromProperty());
            System.clearProperty(WorkerPool.SPIN_PROPERTY);
            assertEquals(WorkerPool.DEFAULT_SPIN_MICROS * 1000, WorkerPool.spinNanosFromProperty());
            for (String bad : new String[] {"-1", "fast", "1.5"}) {
                System.setProperty(WorkerPool.SPIN_PROPERTY, bad);
                IllegalArgumentException e =
                        assertThrows(IllegalArgumentException.class, WorkerPool::spinNanosFromProperty);
                assertEquals(
                        "-Dsparselinear.cpu.spinMicros must be a whole number of microseconds, 0 or more"
                                + " (0 parks idle threads at once), got '" + bad + "'",
                        e.getMessage());
            }
        } finally {
            if (previous == null) {
                System.clearProperty(WorkerPool.SPIN_PROPERTY);
            } else {
                System.setProperty(WorkerPool.SPIN_PROPERTY, previous);
            }
        }
    }

    private static void awaitLiveWorkers(WorkerPool pool, int expected) throws InterruptedException {
        for (long waited = 0; pool.liveWorkers() != expected && waited < HANG.toMillis(); waited += 5) {
            Thread.sleep(5);
        }
        assertEquals(expected, pool.liveWorkers(), "live workers");
    }
}
