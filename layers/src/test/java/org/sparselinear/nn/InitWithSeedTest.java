package org.sparselinear.nn;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;

/** {@link Init#withSeed}: the seeds of {@code manualSeed(seed)}, from a sequence no other thread touches. */
class InitWithSeedTest {

    private static long[] draw(int n) {
        long[] seeds = new long[n];
        for (int i = 0; i < n; i++) {
            seeds[i] = Init.nextSeed();
        }
        return seeds;
    }

    @Test
    void givesTheSeedsOfManualSeedWithoutTouchingTheGlobalSequence() {
        Init.manualSeed(42);
        long[] expected = draw(5);
        Init.manualSeed(7);
        long[] inside = Init.withSeed(42, () -> draw(5));
        assertArrayEquals(expected, inside);
        long globalNext = Init.nextSeed();
        Init.manualSeed(7);
        assertEquals(Init.nextSeed(), globalNext, "the global sequence went on as if withSeed had not run");
    }

    @Test
    void nestsAndResumesTheOuterSequence() {
        long[] plain = Init.withSeed(3, () -> draw(3));
        long[] nested = Init.withSeed(3, () -> {
            long first = Init.nextSeed();
            Init.withSeed(99, () -> draw(10));
            long[] rest = draw(2);
            return new long[] {first, rest[0], rest[1]};
        });
        assertArrayEquals(plain, nested);
    }

    @Test
    void threadsDrawingAtOnceEachGetTheirOwnSequence() throws Exception {
        ExecutorService threads = Executors.newFixedThreadPool(4);
        try {
            long[] expected = Init.withSeed(5, () -> draw(2000));
            @SuppressWarnings("unchecked")
            Future<long[]>[] results = new Future[4];
            for (int t = 0; t < results.length; t++) {
                results[t] = threads.submit(() -> Init.withSeed(5, () -> draw(2000)));
            }
            for (Future<long[]> result : results) {
                assertArrayEquals(expected, result.get());
            }
        } finally {
            threads.shutdownNow();
        }
    }
}
