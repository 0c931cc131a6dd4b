package org.sparselinear.device;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The pool's size classes and reuse policy, with a counting allocator instead of a device. */
class DeviceBufferPoolTest {

    /** Hands out numbered buffers; fails when the live bytes would pass {@code budget}. */
    private static final class CountingAllocator implements DeviceBufferPool.Allocator<long[]> {
        final long budget;
        long live;
        int allocations;
        int releases;

        CountingAllocator(long budget) {
            this.budget = budget;
        }

        @Override
        public long[] allocate(long bytes) {
            if (live + bytes > budget) {
                throw new IllegalStateException("device out of memory: " + bytes + " bytes");
            }
            live += bytes;
            allocations++;
            return new long[] {allocations, bytes};
        }

        @Override
        public void release(long[] buffer) {
            live -= buffer[1];
            releases++;
        }
    }

    @Test
    void sizeClassesAreAtLeast256BytesAndFourPerPowerOfTwo() {
        long[][] expected = {
            {0, 256},
            {1, 256},
            {256, 256},
            {257, 320},
            {320, 320},
            {321, 384},
            {448, 448},
            {449, 512},
            {512, 512},
            {513, 640},
            {1024, 1024},
            {1025, 1280},
            {1L << 30, 1L << 30},
            {(1L << 30) + 1, 5L << 28}
        };
        for (long[] pair : expected) {
            assertEquals(pair[1], DeviceBufferPool.sizeClass(pair[0]), "size class of " + pair[0]);
        }
        for (long bytes = 1; bytes < 1 << 20; bytes = bytes * 3 / 2 + 1) {
            long size = DeviceBufferPool.sizeClass(bytes);
            assertTrue(size >= bytes && (bytes <= 256 || size <= bytes * 1.25 + 1), bytes + " -> " + size);
        }
    }

    @Test
    void aReleasedBufferIsReusedForTheSameClass() {
        CountingAllocator allocator = new CountingAllocator(Long.MAX_VALUE);
        DeviceBufferPool<long[]> pool = new DeviceBufferPool<>(allocator, Long.MAX_VALUE);

        DeviceBufferPool.Lease<long[]> first = pool.acquire(1000);
        assertEquals(1024, first.capacity());
        assertEquals(1024, pool.bytesInUse());
        pool.release(first);
        assertEquals(0, pool.bytesInUse());
        assertEquals(1024, pool.bytesPooled());
        DeviceBufferPool.Lease<long[]> second = pool.acquire(980);

        assertSame(first.buffer(), second.buffer());
        assertEquals(1, pool.buffersCreated());
        assertEquals(1, pool.buffersReused());
        assertEquals(0, pool.bytesPooled());
    }

    @Test
    void classesDoNotMix() {
        CountingAllocator allocator = new CountingAllocator(Long.MAX_VALUE);
        DeviceBufferPool<long[]> pool = new DeviceBufferPool<>(allocator, Long.MAX_VALUE);
        DeviceBufferPool.Lease<long[]> small = pool.acquire(1000);
        pool.release(small);

        DeviceBufferPool.Lease<long[]> large = pool.acquire(2000);

        assertNotSame(small.buffer(), large.buffer());
        assertEquals(2, allocator.allocations);
        assertEquals(1024, pool.bytesPooled());
    }

    @Test
    void theMostRecentlyReturnedBufferComesFirst() {
        DeviceBufferPool<long[]> pool = new DeviceBufferPool<>(new CountingAllocator(Long.MAX_VALUE), Long.MAX_VALUE);
        DeviceBufferPool.Lease<long[]> a = pool.acquire(300);
        DeviceBufferPool.Lease<long[]> b = pool.acquire(300);
        pool.release(a);
        pool.release(b);

        assertSame(b.buffer(), pool.acquire(300).buffer());
        assertSame(a.buffer(), pool.acquire(300).buffer());
    }

    @Test
    void releasingTwiceDoesNothing() {
        DeviceBufferPool<long[]> pool = new DeviceBufferPool<>(new CountingAllocator(Long.MAX_VALUE), Long.MAX_VALUE);
        DeviceBufferPool.Lease<long[]> lease = pool.acquire(300);
        pool.release(lease);
        pool.release(lease);

        assertEquals(320, pool.bytesPooled());
        pool.acquire(300);
        assertEquals(1, pool.buffersCreated());
        assertEquals(2, pool.buffersCreated() + pool.buffersReused());
        pool.acquire(300);
        assertEquals(2, pool.buffersCreated(), "the buffer released twice must be lent only once");
    }

    @Test
    void freeBuffersBeyondTheLimitGoBackToTheDeviceLargestFirst() {
        CountingAllocator allocator = new CountingAllocator(Long.MAX_VALUE);
        DeviceBufferPool<long[]> pool = new DeviceBufferPool<>(allocator, 4096);
        DeviceBufferPool.Lease<long[]> small = pool.acquire(1024);
        DeviceBufferPool.Lease<long[]> medium = pool.acquire(2048);
        DeviceBufferPool.Lease<long[]> large = pool.acquire(4096);
        pool.release(small);
        pool.release(medium);
        pool.release(large);

        assertEquals(3072, pool.bytesPooled(), "the 4096-byte buffer pushed the pool over its limit");
        assertEquals(1, allocator.releases);
        assertEquals(3072, allocator.live);
        assertSame(medium.buffer(), pool.acquire(2048).buffer());
    }

    @Test
    void aFailedAllocationReleasesTheFreeBuffersAndRetries() {
        CountingAllocator allocator = new CountingAllocator(8192);
        DeviceBufferPool<long[]> pool = new DeviceBufferPool<>(allocator, Long.MAX_VALUE);
        pool.release(pool.acquire(4096));
        pool.release(pool.acquire(2048));

        DeviceBufferPool.Lease<long[]> lease = pool.acquire(5000);

        assertEquals(5120, lease.capacity());
        assertEquals(0, pool.bytesPooled());
        assertEquals(5120, allocator.live);
    }

    @Test
    void aFailedAllocationWithNothingPooledFails() {
        DeviceBufferPool<long[]> pool = new DeviceBufferPool<>(new CountingAllocator(1024), Long.MAX_VALUE);
        IllegalStateException e = assertThrows(IllegalStateException.class, () -> pool.acquire(4096));
        assertTrue(e.getMessage().contains("4096 bytes"), e.getMessage());
    }

    @Test
    void aSteadyLoopStopsAllocatingAfterItsFirstPass() {
        CountingAllocator allocator = new CountingAllocator(Long.MAX_VALUE);
        DeviceBufferPool<long[]> pool = new DeviceBufferPool<>(allocator, Long.MAX_VALUE);
        long[] sizes = {4, 4, 128 * 784 * 4, 128 * 256 * 4, 256 * 4, 256 * 4, 128 * 10 * 4, 40_000, 40_000, 4};
        long createdAfterFirst = -1;
        for (int step = 0; step < 100; step++) {
            List<DeviceBufferPool.Lease<long[]>> leases = new ArrayList<>();
            for (long size : sizes) {
                leases.add(pool.acquire(size));
            }
            leases.forEach(pool::release);
            if (step == 0) {
                createdAfterFirst = pool.buffersCreated();
            }
            assertEquals(0, pool.bytesInUse());
        }
        assertEquals(sizes.length, createdAfterFirst);
        assertEquals(createdAfterFirst, pool.buffersCreated());
        assertEquals(99L * sizes.length, pool.buffersReused());
    }

    @Test
    void closeReleasesEverythingAndRefusesNewRequests() {
        CountingAllocator allocator = new CountingAllocator(Long.MAX_VALUE);
        DeviceBufferPool<long[]> pool = new DeviceBufferPool<>(allocator, Long.MAX_VALUE);
        DeviceBufferPool.Lease<long[]> held = pool.acquire(1000);
        pool.release(pool.acquire(3000));

        pool.close();
        pool.close();

        assertEquals(0, allocator.live);
        assertEquals(2, allocator.releases);
        assertEquals(0, pool.bytesInUse());
        assertEquals(0, pool.bytesPooled());
        pool.release(held);
        assertEquals(2, allocator.releases, "a lease returned after close is not released twice");
        assertThrows(IllegalStateException.class, () -> pool.acquire(10));
    }
}
