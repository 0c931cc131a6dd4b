package org.sparselinear.backend.cuda;

import java.util.ArrayDeque;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * Device memory reused by size class, so that a training step calls {@code cuMemAlloc} only while the first
 * steps fill the pool.
 *
 * <p>A request is rounded up to its size class ({@link #sizeClass}: at least 256 bytes, then four classes per
 * power of two, so at most 25 % is wasted). {@link #acquire} lends the most recently returned buffer of that
 * class, or allocates one; {@link #release} takes it back. Buffers are lent and returned in host order while the
 * device runs the backend's one stream in order, so a returned buffer can be lent at once: whatever the stream
 * does with it next comes after what it did with it before. Free buffers beyond {@code maxPooledBytes} go back
 * to the device, largest first. An allocation that fails releases every free buffer and tries once more.
 * Thread-safe.
 *
 * <p>The pool knows nothing of CUDA: an {@link Allocator} allocates and frees, which lets the policy be tested
 * without a device.
 */
final class BufferPool implements AutoCloseable {

    /** Allocates and frees device memory. */
    interface Allocator {

        /** The address of {@code bytes} new bytes of device memory. */
        long allocate(long bytes);

        /** Frees what {@link #allocate} returned. */
        void free(long address);
    }

    /** A buffer lent by the pool: its address and capacity (its size class). */
    static final class Lease {
        private final long address;
        private final long capacity;

        private Lease(long address, long capacity) {
            this.address = address;
            this.capacity = capacity;
        }

        /** The device address. */
        long address() {
            return address;
        }

        /** The bytes it holds: the size class of the request. */
        long capacity() {
            return capacity;
        }
    }

    /** The smallest size class, in bytes (also the alignment of cuMemAlloc). */
    static final long MIN_CLASS = 256;

    private final Allocator allocator;
    private final long maxPooledBytes;
    private final TreeMap<Long, ArrayDeque<Long>> free = new TreeMap<>();
    private final Set<Lease> lent = Collections.newSetFromMap(new IdentityHashMap<>());
    private long bytesInUse;
    private long bytesPooled;
    private long allocations;
    private long reuses;
    private long frees;
    private boolean closed;

    /** A pool that keeps at most {@code maxPooledBytes} bytes of free buffers. */
    BufferPool(Allocator allocator, long maxPooledBytes) {
        this.allocator = allocator;
        this.maxPooledBytes = maxPooledBytes;
    }

    /**
     * The size class of a request: {@value #MIN_CLASS} bytes up to {@value #MIN_CLASS}, else the request rounded up
     * to a multiple of a quarter of the largest power of two below it: 256, 320, 384, 448, 512, 640, 768, ...
     */
    static long sizeClass(long bytes) {
        if (bytes < 0) {
            throw new IllegalArgumentException("a buffer size must be >= 0, got " + bytes);
        }
        if (bytes <= MIN_CLASS) {
            return MIN_CLASS;
        }
        long quarter = Long.highestOneBit(bytes - 1) >> 2;
        return (bytes + quarter - 1) / quarter * quarter;
    }

    /** A buffer of at least {@code bytes} bytes, reused when one of its class is free. */
    synchronized Lease acquire(long bytes) {
        if (closed) {
            throw new IllegalStateException("the CUDA buffer pool was closed with its backend");
        }
        long capacity = sizeClass(bytes);
        ArrayDeque<Long> list = free.get(capacity);
        long address;
        if (list != null && !list.isEmpty()) {
            address = list.pop();
            if (list.isEmpty()) {
                free.remove(capacity);
            }
            bytesPooled -= capacity;
            reuses++;
        } else {
            address = allocate(capacity);
            allocations++;
        }
        Lease lease = new Lease(address, capacity);
        lent.add(lease);
        bytesInUse += capacity;
        return lease;
    }

    private long allocate(long capacity) {
        try {
            return allocator.allocate(capacity);
        } catch (RuntimeException e) {
            if (bytesPooled == 0) {
                throw e;
            }
            trim();
            return allocator.allocate(capacity);
        }
    }

    /** Takes a lent buffer back; a lease returned twice, or after {@link #close()}, is ignored. */
    synchronized void release(Lease lease) {
        if (!lent.remove(lease)) {
            return;
        }
        bytesInUse -= lease.capacity;
        free.computeIfAbsent(lease.capacity, c -> new ArrayDeque<>()).push(lease.address);
        bytesPooled += lease.capacity;
        while (bytesPooled > maxPooledBytes) {
            Map.Entry<Long, ArrayDeque<Long>> largest = free.lastEntry();
            dispose(largest.getKey(), largest.getValue().pop());
            if (largest.getValue().isEmpty()) {
                free.remove(largest.getKey());
            }
        }
    }

    /** Frees every free buffer. */
    synchronized void trim() {
        for (Map.Entry<Long, ArrayDeque<Long>> entry : free.entrySet()) {
            for (long address : entry.getValue()) {
                dispose(entry.getKey(), address);
            }
        }
        free.clear();
    }

    private void dispose(long capacity, long address) {
        bytesPooled -= capacity;
        frees++;
        allocator.free(address);
    }

    /** Bytes lent out now (size classes, not requests). */
    synchronized long bytesInUse() {
        return bytesInUse;
    }

    /** Bytes of the free buffers kept for reuse. */
    synchronized long bytesPooled() {
        return bytesPooled;
    }

    /** Number of allocations so far (each a {@code cuMemAlloc}). */
    synchronized long allocations() {
        return allocations;
    }

    /** Number of requests served by a free buffer. */
    synchronized long reuses() {
        return reuses;
    }

    /** Number of buffers given back to the device so far. */
    synchronized long frees() {
        return frees;
    }

    /** Number of buffers lent out now. */
    synchronized int buffersInUse() {
        return lent.size();
    }

    /** Frees every buffer, free or lent; later requests fail. Idempotent. */
    @Override
    public synchronized void close() {
        if (closed) {
            return;
        }
        closed = true;
        trim();
        for (Lease lease : lent) {
            bytesInUse -= lease.capacity;
            frees++;
            allocator.free(lease.address);
        }
        lent.clear();
    }
}
