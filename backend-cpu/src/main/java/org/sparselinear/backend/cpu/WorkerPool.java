package org.sparselinear.backend.cpu;

import java.util.concurrent.ForkJoinPool;
import java.util.concurrent.ForkJoinTask;
import java.util.function.IntConsumer;

/**
 * The CPU backend's threads: runs the parts of a kernel in parallel, the calling thread taking
 * part 0 and {@code threads - 1} pool workers the rest, and returns when all are done.
 */
final class WorkerPool implements AutoCloseable {

    private final int threads;
    private final ForkJoinPool pool;

    WorkerPool(int threads) {
        this.threads = threads;
        this.pool = threads > 1
                ? new ForkJoinPool(
                        threads - 1,
                        p -> {
                            var worker = ForkJoinPool.defaultForkJoinWorkerThreadFactory.newThread(p);
                            worker.setName("sparselinear-cpu-" + worker.getPoolIndex());
                            worker.setDaemon(true);
                            return worker;
                        },
                        null,
                        false)
                : null;
    }

    int threads() {
        return threads;
    }

    /** Runs {@code body} for each part in {@code [0, parts)}; parts beyond the threads queue up. */
    void run(int parts, IntConsumer body) {
        if (parts <= 1 || pool == null) {
            for (int p = 0; p < parts; p++) {
                body.accept(p);
            }
            return;
        }
        ForkJoinTask<?>[] tasks = new ForkJoinTask<?>[parts];
        for (int p = 1; p < parts; p++) {
            int part = p;
            tasks[p] = pool.submit(() -> body.accept(part));
        }
        RuntimeException failure = null;
        try {
            body.accept(0);
        } catch (RuntimeException e) {
            failure = e;
        }
        for (int p = 1; p < parts; p++) {
            try {
                tasks[p].join();
            } catch (RuntimeException e) {
                if (failure == null) {
                    failure = e;
                }
            }
        }
        if (failure != null) {
            throw failure;
        }
    }

    /**
     * Splits {@code [0, length)} into one contiguous range per thread (fewer when there is
     * too little work to pay for the hand-off) and runs {@code body.run(start, end)} on each.
     */
    void forRange(int length, long workPerElement, RangeBody body) {
        int parts = partsFor((long) length * workPerElement, length);
        run(parts, p -> body.run((int) ((long) length * p / parts), (int) ((long) length * (p + 1) / parts)));
    }

    /** Threads worth using for {@code work} multiply-adds, at most one per element. */
    int partsFor(long work, int elements) {
        long parts = Math.min(threads, work / MIN_WORK_PER_PART);
        return (int) Math.max(1, Math.min(parts, elements));
    }

    /** Below this many multiply-adds per part, splitting costs more than it saves. */
    static final long MIN_WORK_PER_PART = 1 << 15;

    @Override
    public void close() {
        if (pool != null) {
            pool.shutdown();
        }
    }

    /** A loop body over a half-open index range. */
    @FunctionalInterface
    interface RangeBody {
        void run(int start, int end);
    }
}
