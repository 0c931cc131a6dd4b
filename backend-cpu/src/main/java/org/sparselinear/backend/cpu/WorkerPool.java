package org.sparselinear.backend.cpu;

import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.LockSupport;
import java.util.function.IntConsumer;

/**
 * The CPU backend's threads: runs the parts of a kernel in parallel, the calling thread taking
 * part 0 and {@code threads - 1} workers the rest, and returns when all are done.
 *
 * <p>A kernel of the layers takes tens of microseconds to a few milliseconds, and a training step
 * calls dozens of them back to back. Waking a parked thread costs about as much as the smallest of
 * them: 40 to 50 microseconds on the 2-core virtual machine this library is developed on, where a
 * {@link java.util.concurrent.ForkJoinPool} made the text model's sparse-input forward slower on two
 * threads than on one. So a worker that has finished a part <em>spins</em> for
 * {@link #spinNanos} (default {@value #DEFAULT_SPIN_MICROS} microseconds, {@value #SPIN_PROPERTY})
 * watching for the next kernel, and parks only when none came; the caller spins the same way for the
 * workers' last parts. This is the wait policy of OpenMP runtimes ({@code OMP_WAIT_POLICY}, GNU's
 * {@code GOMP_SPINCOUNT}) and of OpenBLAS's threads. A spin of 0 parks at once.
 *
 * <p>Spinning pays only when each thread has a core: a pool of more threads than the machine's
 * processors parks at once. Workers start with the first kernel that splits, and a worker parked
 * for {@value #KEEP_ALIVE_SECONDS} seconds ends (a backend never closed leaves no threads behind);
 * the next kernel starts it again.
 *
 * <p>Parts are claimed from a shared counter, so a kernel may ask for more parts than there are
 * threads, and the caller runs whatever no worker claimed. One kernel uses the workers at a time: a
 * call made while they are busy (from another thread, or from inside a part) runs all its parts on
 * the calling thread, in order, which gives the same results.
 */
final class WorkerPool implements AutoCloseable {

    /** System property: how long an idle worker spins before it parks, in microseconds. */
    static final String SPIN_PROPERTY = "sparselinear.cpu.spinMicros";

    /** The default of {@value #SPIN_PROPERTY}. */
    static final long DEFAULT_SPIN_MICROS = 100;

    /** How long a worker stays parked without a kernel before it ends. */
    static final long KEEP_ALIVE_SECONDS = 60;

    private final int threads;
    private final long spinNanos;
    private final long keepAliveNanos;
    private final Worker[] workers;
    private final AtomicBoolean busy = new AtomicBoolean();
    private volatile Job job;
    private volatile boolean closed;
    /** Kernels published so far; written only by the caller holding {@link #busy}. */
    private long published;

    /**
     * A pool of {@code threads} (the caller and {@code threads - 1} workers) spinning for
     * {@link #spinNanosFromProperty()}, or not at all when there are more threads than processors.
     */
    WorkerPool(int threads) {
        this(threads, threads > Runtime.getRuntime().availableProcessors() ? 0 : spinNanosFromProperty());
    }

    /** A pool of {@code threads} whose idle workers spin for {@code spinNanos} before they park. */
    WorkerPool(int threads, long spinNanos) {
        this(threads, spinNanos, TimeUnit.SECONDS.toNanos(KEEP_ALIVE_SECONDS));
    }

    /** A pool whose idle workers spin for {@code spinNanos}, then park, and end after {@code keepAliveNanos}. */
    WorkerPool(int threads, long spinNanos, long keepAliveNanos) {
        this.threads = threads;
        this.spinNanos = spinNanos;
        this.keepAliveNanos = keepAliveNanos;
        this.workers = new Worker[threads - 1];
        for (int w = 0; w < workers.length; w++) {
            workers[w] = new Worker("sparselinear-cpu-" + (w + 1));
        }
    }

    /**
     * {@value #SPIN_PROPERTY} in nanoseconds, else {@value #DEFAULT_SPIN_MICROS} microseconds.
     *
     * @throws IllegalArgumentException when the property is not a non-negative integer
     */
    static long spinNanosFromProperty() {
        String configured = System.getProperty(SPIN_PROPERTY);
        if (configured == null || configured.isBlank()) {
            return TimeUnit.MICROSECONDS.toNanos(DEFAULT_SPIN_MICROS);
        }
        long micros;
        try {
            micros = Long.parseLong(configured.trim());
        } catch (NumberFormatException e) {
            micros = -1;
        }
        if (micros < 0) {
            throw new IllegalArgumentException("-D" + SPIN_PROPERTY
                    + " must be a whole number of microseconds, 0 or more (0 parks idle threads at once), got '"
                    + configured + "'");
        }
        return TimeUnit.MICROSECONDS.toNanos(micros);
    }

    int threads() {
        return threads;
    }

    /** Worker threads running now (started and not yet ended). */
    int liveWorkers() {
        int live = 0;
        for (Worker worker : workers) {
            live += worker.thread == null ? 0 : 1;
        }
        return live;
    }

    /** Runs {@code body} for each part in {@code [0, parts)}, part 0 on the calling thread. */
    void run(int parts, IntConsumer body) {
        if (parts <= 1 || workers.length == 0 || !busy.compareAndSet(false, true)) {
            for (int p = 0; p < parts; p++) {
                body.accept(p);
            }
            return;
        }
        try {
            Job current = new Job(++published, parts, body, Thread.currentThread());
            job = current;
            for (int w = 0; w < Math.min(parts - 1, workers.length); w++) {
                workers[w].wake();
            }
            current.runPart(0);
            current.claimParts();
            current.awaitAll(spinNanos);
            current.rethrow();
        } finally {
            job = null;
            busy.set(false);
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
        closed = true;
        for (Worker worker : workers) {
            worker.wake();
        }
    }

    /** One worker thread: takes the parts of each kernel published, spinning, then parking, in between. */
    private final class Worker implements Runnable {
        private final String name;
        private volatile Thread thread;
        private volatile boolean parked;

        Worker(String name) {
            this.name = name;
        }

        /** Starts the thread if it is not running, or unparks it if it is parked. */
        void wake() {
            Thread current = thread;
            if (current == null) {
                if (!closed) {
                    current = new Thread(this, name);
                    current.setDaemon(true);
                    thread = current;
                    current.start();
                }
            } else if (parked) {
                LockSupport.unpark(current);
            }
        }

        @Override
        public void run() {
            try {
                long done = 0;
                for (Job next = awaitNext(done); next != null; next = awaitNext(done)) {
                    next.claimParts();
                    done = next.number;
                }
            } finally {
                thread = null;
            }
        }

        /**
         * The next kernel after number {@code done}, after spinning and then parking; null when the pool is
         * closed or nothing came for the keep-alive time.
         */
        private Job awaitNext(long done) {
            long start = System.nanoTime();
            Job next = job;
            while (next == null || next.number == done) {
                long waited = System.nanoTime() - start;
                if (closed || waited > keepAliveNanos) {
                    return null;
                }
                if (waited < spinNanos) {
                    Thread.onSpinWait();
                } else {
                    parked = true;
                    Job latest = job;
                    if (latest == null || latest.number == done) {
                        LockSupport.parkNanos(this, keepAliveNanos - waited);
                    }
                    parked = false;
                }
                next = job;
            }
            return next;
        }
    }

    /** A loop body over a half-open index range. */
    @FunctionalInterface
    interface RangeBody {
        void run(int start, int end);
    }

    /** One kernel's parts: the next to claim, how many are finished, and the first failure. */
    private static final class Job {
        private final long number;
        private final int parts;
        private final IntConsumer body;
        private final Thread caller;
        private final AtomicInteger next = new AtomicInteger(1);
        private final AtomicInteger finished = new AtomicInteger();
        private volatile Throwable failure;
        private volatile boolean callerParked;

        Job(long number, int parts, IntConsumer body, Thread caller) {
            this.number = number;
            this.parts = parts;
            this.body = body;
            this.caller = caller;
        }

        /** Runs parts until none is left to claim. */
        void claimParts() {
            for (int p = next.getAndIncrement(); p < parts; p = next.getAndIncrement()) {
                runPart(p);
            }
        }

        /** Runs part {@code p}, keeping its failure, and wakes the caller after the last part. */
        void runPart(int p) {
            try {
                body.accept(p);
            } catch (Throwable e) {
                if (failure == null) {
                    failure = e;
                }
            }
            if (finished.incrementAndGet() == parts && callerParked) {
                LockSupport.unpark(caller);
            }
        }

        /** Waits, spinning and then parking, until every part is finished. */
        void awaitAll(long spinNanos) {
            long deadline = System.nanoTime() + spinNanos;
            while (finished.get() < parts) {
                if (System.nanoTime() - deadline < 0) {
                    Thread.onSpinWait();
                } else {
                    callerParked = true;
                    if (finished.get() < parts) {
                        LockSupport.park(this);
                    }
                }
            }
        }

        /** Throws the first failure of a part: as it was thrown, or wrapped when it is a checked exception. */
        void rethrow() {
            Throwable thrown = failure;
            if (thrown instanceof RuntimeException e) {
                throw e;
            }
            if (thrown instanceof Error e) {
                throw e;
            }
            if (thrown != null) {
                throw new IllegalStateException("a part of a CPU kernel failed", thrown);
            }
        }
    }
}
