package org.sparselinear.nn;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;

import java.util.Map;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.sparselinear.api.Backend;
import org.sparselinear.backend.cpu.CpuBackend;
import org.sparselinear.data.DataLoader;
import org.sparselinear.io.Checkpoint;
import org.sparselinear.nn.optim.Adam;
import org.sparselinear.nn.sparsity.RigL;

/**
 * Two models training at once, in two threads, on one shared CPU backend, end exactly where they
 * end when trained one after the other: the backend's worker pool, memory scopes, gradient mode and
 * the seeds of layers built inside {@link Init#withSeed} are per thread or per call, so nothing
 * leaks between the runs, even while a third thread keeps reseeding the global sequence.
 */
class ConcurrentTrainingTest {

    private static final Backend SHARED = new CpuBackend(2);

    /** Builds (seeds from the thread's own sequence), trains three epochs and returns the final checkpoint bytes. */
    private static byte[] run(long seed) {
        Sequential model = Init.withSeed(
                seed,
                () -> new Sequential(
                        new Flatten(),
                        new SparseLinear(
                                Models.FEATURES,
                                24,
                                SparseLinear.options()
                                        .sparsity(0.6)
                                        .backend(SHARED)
                                        .rewiring(RigL.forPlannedSteps(100).withDeltaT(3))),
                        new LayerNorm(24, SHARED),
                        new ReLU(),
                        new KWinners(24, 0.5, KWinners.options().backend(SHARED)),
                        new Linear(24, Models.CLASSES, true, Init.nextSeed(), SHARED)));
        Adam optimizer = new Adam(model.parameters(), 0.01);
        DataLoader loader = new DataLoader(Models.data(240, seed), 8, true, seed, true);
        long steps = Models.train(model, optimizer, loader, 1, 0, 3, 0, -1, SHARED);
        return Checkpoint.toBytes(model, optimizer, TrainingProgress.afterEpoch(3, steps, seed), Map.of());
    }

    @Test
    @Timeout(value = 60, unit = TimeUnit.SECONDS)
    void twoThreadsTrainingAtOnceGiveTheSequentialResults() throws Exception {
        byte[] first = run(1);
        byte[] second = run(2);
        ExecutorService threads = Executors.newFixedThreadPool(3);
        AtomicBoolean running = new AtomicBoolean(true);
        try {
            Future<?> noise = threads.submit(() -> {
                long i = 0;
                while (running.get()) {
                    Init.manualSeed(i++);
                    Init.nextSeed();
                }
            });
            for (int round = 0; round < 3; round++) {
                CyclicBarrier start = new CyclicBarrier(2);
                Future<byte[]> a = threads.submit(() -> {
                    start.await();
                    return run(1);
                });
                Future<byte[]> b = threads.submit(() -> {
                    start.await();
                    return run(2);
                });
                assertArrayEquals(first, a.get(), "model 1, round " + round);
                assertArrayEquals(second, b.get(), "model 2, round " + round);
            }
            running.set(false);
            noise.get();
        } finally {
            running.set(false);
            threads.shutdownNow();
        }
    }
}
