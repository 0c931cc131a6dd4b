package org.sparselinear.nn;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;

class InitTest {

    @Test
    void manualSeedRestartsTheSequence() {
        Init.manualSeed(42);
        long[] first = {Init.nextSeed(), Init.nextSeed(), Init.nextSeed()};
        Init.manualSeed(42);
        assertArrayEquals(first, new long[] {Init.nextSeed(), Init.nextSeed(), Init.nextSeed()});
        Init.manualSeed(43);
        assertFalse(Arrays.equals(first, new long[] {Init.nextSeed(), Init.nextSeed(), Init.nextSeed()}));
        assertEquals(3, new HashSet<>(List.of(first[0], first[1], first[2])).size());
    }

    @Test
    void concurrentCallersGetDistinctSeeds() throws Exception {
        Init.manualSeed(1);
        Set<Long> seeds = ConcurrentHashMap.newKeySet();
        ExecutorService pool = Executors.newFixedThreadPool(4);
        try {
            List<Future<?>> done = new java.util.ArrayList<>();
            for (int t = 0; t < 4; t++) {
                done.add(pool.submit(() -> {
                    for (int i = 0; i < 5000; i++) {
                        seeds.add(Init.nextSeed());
                    }
                }));
            }
            for (Future<?> future : done) {
                future.get();
            }
        } finally {
            pool.shutdown();
        }
        assertEquals(20_000, seeds.size());
        Init.manualSeed(1);
        Set<Long> sequential = new HashSet<>();
        for (int i = 0; i < 20_000; i++) {
            sequential.add(Init.nextSeed());
        }
        assertEquals(sequential, seeds, "the same seeds, whatever the interleaving");
    }
}
