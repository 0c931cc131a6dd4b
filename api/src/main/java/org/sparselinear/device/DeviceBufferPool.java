package org.sparselinear.device;

import java.util.ArrayDeque;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * Device buffers, reused by size class, so that a training step allocates nothing once the
 * first steps have filled the pool.
 *
 * <p>A request is rounded up to its size class ({@link #sizeClass}: at least 256 bytes, then
 * four classes per power of two, so at most 25 % is wasted). {@link #acquire} takes the most
 * recently returned buffer of that class, or allocates one; {@link #release} puts it back on
 * its class's free list. When the free buffers exceed {@code maxPooledBytes}, the largest are
 * released to the device. When an allocation fails, the free buffers are released and the
 * allocation is tried once more. Thread-safe.
 *
 * <p>The pool knows nothing of any device API: an {@link Allocator} creates and releases the
 * buffers (OpenCL {@code cl_mem}, CUDA device addresses), which lets the reuse policy be shared
 * by the GPU backends and tested without a device.
 *
 * @param <B> the buffer handle ({@code cl_mem} for OpenCL, a {@code Long} address for CUDA)
 */
public final class DeviceBufferPool<B> implements AutoCloseable {

    /** Creates and releases the pooled buffers. */
    public interface Allocator<B> {

        /** A new buffer of exactly {@code bytes} bytes. */
        B allocate(long bytes);

        /** Gives a buffer back to the device. */
        void release(B buffer);
    }

    /**
     * A snapshot of what the pool holds and has done, for memory reports and leak tests.
     *
     * @param bytesInUse bytes of the buffers lent out (size classes, not requests)
     * @param bytesPooled bytes of the free buffers kept for reuse
     * @param buffersCreated device allocations so far
     * @param buffersReused requests served by a pooled buffer
     * @param buffersReleased buffers given back to the device
     * @param buffersInUse buffers lent out now
     */
    public record Usage(
            long bytesInUse,
            long bytesPooled,
            long buffersCreated,
            long buffersReused,
            long buffersReleased,
            int buffersInUse) {}

    /** A buffer lent by the pool, with the capacity of its size class. */
    public static final class Lease<B> {
        private final B buffer;
        private final long capacity;

        private Lease(B buffer, long capacity) {
            this.buffer = buffer;
            this.capacity = capacity;
        }

        /** The buffer. */
        public B buffer() {
            return buffer;
        }

        /** Its size in bytes: the size class of the request, at least what was asked for. */
        public long capacity() {
            return capacity;
        }
    }

    /** The smallest size class, in bytes. */
    static final long MIN_CLASS = 256;

    private final Allocator<B> allocator;
    private final long maxPooledBytes;
    private final TreeMap<Long, ArrayDeque<B>> free = new TreeMap<>();
    private final Set<Lease<B>> lent = Collections.newSetFromMap(new IdentityHashMap<>());
    private long bytesInUse;
    private long bytesPooled;
    private long created;
    private long reused;
    private long released;
    private boolean closed;

    /** A pool that keeps at most {@code maxPooledBytes} bytes of free buffers. */
    public DeviceBufferPool(Allocator<B> allocator, long maxPooledBytes) {
        this.allocator = allocator;
        this.maxPooledBytes = maxPooledBytes;
    }

    /**
     * The size class of a request of {@code bytes} bytes: 256 up to 256 bytes, else the request
     * rounded up to a multiple of a quarter of the power of two below it (256, 320, 384, 448,
     * 512, 640, ...).
     */
    public static long sizeClass(long bytes) {
        if (bytes < 0) {
            throw new IllegalArgumentException("buffer size must be >= 0, got " + bytes);
        }
        if (bytes <= MIN_CLASS) {
            return MIN_CLASS;
        }
        int power = 63 - Long.numberOfLeadingZeros(bytes - 1);
        long step = 1L << (power - 2);
        return (bytes + step - 1) / step * step;
    }

    /** A buffer of at least {@code bytes} bytes, from the pool when one of its class is free. */
    public synchronized Lease<B> acquire(long bytes) {
        if (closed) {
            throw new IllegalStateException("the buffer pool was closed with its backend");
        }
        long capacity = sizeClass(bytes);
        ArrayDeque<B> list = free.get(capacity);
        B buffer;
        if (list != null && !list.isEmpty()) {
            buffer = list.pop();
            bytesPooled -= capacity;
            reused++;
        } else {
            buffer = allocate(capacity);
            created++;
        }
        Lease<B> lease = new Lease<>(buffer, capacity);
        lent.add(lease);
        bytesInUse += capacity;
        return lease;
    }

    private B allocate(long capacity) {
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

    /**
     * Takes a lent buffer back for reuse; returning one twice, or after {@link #close()}, does
     * nothing.
     */
    public synchronized void release(Lease<B> lease) {
        if (!lent.remove(lease)) {
            return;
        }
        bytesInUse -= lease.capacity;
        free.computeIfAbsent(lease.capacity, c -> new ArrayDeque<>()).push(lease.buffer);
        bytesPooled += lease.capacity;
        while (bytesPooled > maxPooledBytes) {
            Map.Entry<Long, ArrayDeque<B>> largest = free.lastEntry();
            dispose(largest.getKey(), largest.getValue().pop());
            if (largest.getValue().isEmpty()) {
                free.remove(largest.getKey());
            }
        }
    }

    /** Releases every free buffer to the device. */
    public synchronized void trim() {
        for (Map.Entry<Long, ArrayDeque<B>> entry : free.entrySet()) {
            while (!entry.getValue().isEmpty()) {
                dispose(entry.getKey(), entry.getValue().pop());
            }
        }
        free.clear();
    }

    private void dispose(long capacity, B buffer) {
        bytesPooled -= capacity;
        released++;
        allocator.release(buffer);
    }

    /** What the pool holds and has done, now. */
    public synchronized Usage usage() {
        return new Usage(bytesInUse, bytesPooled, created, reused, released, lent.size());
    }

    /** Bytes of the buffers lent out now (size classes, not requests). */
    public synchronized long bytesInUse() {
        return bytesInUse;
    }

    /** Bytes of the free buffers kept for reuse. */
    public synchronized long bytesPooled() {
        return bytesPooled;
    }

    /** Number of buffers allocated so far (each one a {@code clCreateBuffer}). */
    public synchronized long buffersCreated() {
        return created;
    }

    /** Number of requests served from the free lists. */
    public synchronized long buffersReused() {
        return reused;
    }

    /** Number of buffers given back to the device so far. */
    public synchronized long buffersReleased() {
        return released;
    }

    /** Number of buffers lent out now. */
    public synchronized int buffersInUse() {
        return lent.size();
    }

    /** Releases every buffer, the free ones and those still lent; idempotent. */
    @Override
    public synchronized void close() {
        if (closed) {
            return;
        }
        closed = true;
        trim();
        for (Lease<B> lease : lent) {
            bytesInUse -= lease.capacity;
            released++;
            allocator.release(lease.buffer);
        }
        lent.clear();
    }
}
