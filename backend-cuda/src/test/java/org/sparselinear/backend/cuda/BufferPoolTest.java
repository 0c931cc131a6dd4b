package org.sparselinear.backend.cuda;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The pool's size classes and reuse policy, with a fake allocator instead of cuMemAlloc. */
class BufferPoolTest {

    /** Hands out increasing addresses; fails like cuMemAlloc when the live bytes would pass {@code budget}. */
    private static final class FakeAllocator implements BufferPool.Allocator {
        final long budget;
        final Map<Long, Long> live = new HashMap<>();
        long liveBytes;
        long next = 0x7000_0000_0000L;
        int allocations;
        int frees;

        FakeAllocator(long budget) {
            this.budget = budget;
        }

        @Override
        public long allocate(long bytes) {
            if (liveBytes + bytes > budget) {
                throw new CudaException("cuMemAlloc of " + bytes + " bytes failed with "
                        + CudaStatus.name(CudaStatus.OUT_OF_MEMORY), CudaStatus.OUT_OF_MEMORY);
            }
            long address = next;
            next += bytes;
            live.put(address, bytes);
            liveBytes += bytes;
            allocations++;
            return address;
        }

        @Override
        public void free(long address) {
            Long bytes = live.remove(address);
            if (bytes == null) {
                throw new AssertionError("freed twice or never allocated: " + address);
            }
            liveBytes -= bytes;
            frees++;
        }
    }

    @Test
    void sizeClassesStartAt256AndComeFourPerPowerOfTwo() {
        long[][] expected = {{0, 256}, {1, 256}, {256, 256}, {257, 320}, {320, 320}, {321, 384}, {448, 448},
            {449, 512}, {512, 512}, {513, 640}, {1000, 1024}, {1025, 1280}, {40_000_000, 41_943_040},
            {1L << 30, 1L << 30}, {(1L << 30) + 1, 5L << 28}, {16_000_000_000L, 17_179_869_184L}};
        for (long[] pair : expected) {
            assertEquals(pair[1], BufferPool.sizeClass(pair[0]), "size class of " + pair[0]);
        }
        for (long bytes = 1; bytes < 1L << 40; bytes = bytes * 3 / 2 + 1) {
            long size = BufferPool.sizeClass(bytes);
            assertTrue(size >= bytes && size % 64 == 0, bytes + " -> " + size);
            assertTrue(bytes <= 256 || size <= bytes * 1.25 + 1, "at most 25 % waste: " + bytes + " -> " + size);
        }
        assertThrows(IllegalArgumentException.class, () -> BufferPool.sizeClass(-1));
    }

    @Test
    void aReleasedBufferIsLentAgainForItsClass() {
        FakeAllocator allocator = new FakeAllocator(Long.MAX_VALUE);
        BufferPool pool = new BufferPool(allocator, Long.MAX_VALUE);
        BufferPool.Lease first = pool.acquire(1000);
        assertEquals(1024, first.capacity());
        assertEquals(1024, pool.bytesInUse());
        pool.release(first);
        assertEquals(0, pool.bytesInUse());
        assertEquals(1024, pool.bytesPooled());

        BufferPool.Lease second = pool.acquire(900);
        assertEquals(first.address(), second.address());
        assertEquals(1, pool.allocations());
        assertEquals(1, pool.reuses());
        assertEquals(0, pool.bytesPooled());
    }

    @Test
    void classesDoNotMixAndTheLastReturnedComesFirst() {
        FakeAllocator allocator = new FakeAllocator(Long.MAX_VALUE);
        BufferPool pool = new BufferPool(allocator, Long.MAX_VALUE);
        BufferPool.Lease a = pool.acquire(300);
        BufferPool.Lease b = pool.acquire(300);
        pool.release(a);
        pool.release(b);
        BufferPool.Lease large = pool.acquire(2000);
        assertNotEquals(a.address(), large.address());
        assertNotEquals(b.address(), large.address());
        assertEquals(b.address(), pool.acquire(300).address());
        assertEquals(a.address(), pool.acquire(300).address());
        assertEquals(3, allocator.allocations);
    }

    @Test
    void releasingTwiceIsIgnored() {
        BufferPool pool = new BufferPool(new FakeAllocator(Long.MAX_VALUE), Long.MAX_VALUE);
        BufferPool.Lease lease = pool.acquire(300);
        pool.release(lease);
        pool.release(lease);
        assertEquals(320, pool.bytesPooled());
        pool.acquire(300);
        pool.acquire(300);
        assertEquals(2, pool.allocations(), "the buffer returned twice must be lent once");
    }

    @Test
    void freeBuffersBeyondTheLimitGoBackLargestFirst() {
        FakeAllocator allocator = new FakeAllocator(Long.MAX_VALUE);
        BufferPool pool = new BufferPool(allocator, 4096);
        BufferPool.Lease small = pool.acquire(1024);
        BufferPool.Lease medium = pool.acquire(2048);
        BufferPool.Lease large = pool.acquire(4096);
        pool.release(small);
        pool.release(medium);
        pool.release(large);
        assertEquals(3072, pool.bytesPooled());
        assertEquals(1, allocator.frees);
        assertEquals(3072, allocator.liveBytes);
        assertEquals(medium.address(), pool.acquire(2048).address());
    }

    @Test
    void aFailedAllocationFreesThePoolAndRetries() {
        FakeAllocator allocator = new FakeAllocator(8192);
        BufferPool pool = new BufferPool(allocator, Long.MAX_VALUE);
        pool.release(pool.acquire(4096));
        pool.release(pool.acquire(2048));
        BufferPool.Lease lease = pool.acquire(5000);
        assertEquals(5120, lease.capacity());
        assertEquals(0, pool.bytesPooled());
        assertEquals(5120, allocator.liveBytes);
        assertEquals(2, pool.frees());
    }

    @Test
    void aFailedAllocationWithNothingPooledFails() {
        BufferPool pool = new BufferPool(new FakeAllocator(1024), Long.MAX_VALUE);
        CudaException e = assertThrows(CudaException.class, () -> pool.acquire(4096));
        assertEquals(CudaStatus.OUT_OF_MEMORY, e.status());
        assertEquals(0, pool.bytesInUse());
    }

    @Test
    void aSteadyTrainingLoopStopsAllocatingAfterItsFirstStep() {
        FakeAllocator allocator = new FakeAllocator(Long.MAX_VALUE);
        BufferPool pool = new BufferPool(allocator, Long.MAX_VALUE);
        long[] sizes = {4, 4, 128 * 784 * 4, 128 * 256 * 4, 256 * 4, 256 * 4, 128 * 10 * 4, 40_000, 40_000, 4, 8 * 256};
        for (int step = 0; step < 100; step++) {
            List<BufferPool.Lease> leases = new ArrayList<>();
            for (long size : sizes) {
                leases.add(pool.acquire(size));
            }
            leases.forEach(pool::release);
            assertEquals(sizes.length, pool.allocations(), "allocations after step " + step);
            assertEquals(0, pool.bytesInUse());
        }
        assertEquals(99L * sizes.length, pool.reuses());
    }

    @Test
    void closeFreesEverythingOnceAndRefusesNewRequests() {
        FakeAllocator allocator = new FakeAllocator(Long.MAX_VALUE);
        BufferPool pool = new BufferPool(allocator, Long.MAX_VALUE);
        BufferPool.Lease held = pool.acquire(1000);
        pool.release(pool.acquire(3000));
        pool.close();
        pool.close();
        assertEquals(0, allocator.liveBytes);
        assertEquals(2, allocator.frees);
        assertEquals(0, pool.bytesInUse());
        assertEquals(0, pool.bytesPooled());
        pool.release(held);
        assertEquals(2, allocator.frees, "a lease returned after close is not freed twice");
        assertThrows(IllegalStateException.class, () -> pool.acquire(10));
    }
}
