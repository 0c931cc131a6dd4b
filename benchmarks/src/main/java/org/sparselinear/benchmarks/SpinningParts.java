package org.sparselinear.benchmarks;

import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.IntToDoubleFunction;

/**
 * Runs the parts of a measured loop on threads that spin between jobs, as the CPU backend's own
 * workers do ({@code WorkerPool}): the caller runs part 0 and one thread per other part runs its
 * own, so that a hand-off costs a fraction of a microsecond instead of the 40 to 50 µs of waking a
 * parked thread, which would weigh on a limit of a few hundred microseconds. For benchmarks only:
 * the threads spin until {@link #close}.
 */
final class SpinningParts implements AutoCloseable {

    private final Thread[] threads;
    private final double[] results;
    private final AtomicLong generation = new AtomicLong();
    private final AtomicInteger finished = new AtomicInteger();
    private volatile IntToDoubleFunction job;
    private volatile Throwable failure;
    private volatile boolean closed;

    /** {@code parts} parts per job: the caller's and {@code parts - 1} spinning threads. */
    SpinningParts(int parts) {
        if (parts < 1) {
            throw new IllegalArgumentException("parts must be at least 1, got " + parts);
        }
        results = new double[parts];
        threads = new Thread[parts - 1];
        for (int t = 0; t < threads.length; t++) {
            int part = t + 1;
            threads[t] = new Thread(() -> spin(part), "spinning-part-" + part);
            threads[t].setDaemon(true);
            threads[t].start();
        }
    }

    /** Runs {@code part} for every part, part 0 on this thread; the sum of their results. */
    double run(IntToDoubleFunction part) {
        job = part;
        finished.set(0);
        generation.incrementAndGet();
        double total = part.applyAsDouble(0);
        while (finished.get() < threads.length) {
            Thread.onSpinWait();
        }
        Throwable failed = failure;
        if (failed != null) {
            failure = null;
            throw new IllegalStateException("a part failed: " + failed, failed);
        }
        for (int p = 1; p < results.length; p++) {
            total += results[p];
        }
        return total;
    }

    private void spin(int part) {
        long seen = 0;
        while (!closed) {
            long current = generation.get();
            if (current == seen) {
                Thread.onSpinWait();
                continue;
            }
            seen = current;
            try {
                results[part] = job.applyAsDouble(part);
            } catch (Throwable e) {
                failure = e;
            }
            finished.incrementAndGet();
        }
    }

    /** Stops the threads. */
    @Override
    public void close() throws InterruptedException {
        closed = true;
        for (Thread thread : threads) {
            thread.join();
        }
    }
}
