package org.sparselinear.device;

import java.lang.ref.Cleaner;
import java.util.List;

/**
 * The pooled buffers of one device matrix or pattern, watched by a {@link Cleaner}: closing the owner returns them
 * to the pool; an owner that becomes unreachable without being closed has them returned by the cleaner, which
 * reports the leak once ({@link DeviceBackend#reportLeak}). The action holds the buffers, never the owner.
 *
 * @param <B> the backend's buffer handle
 */
final class TrackedAllocation<B> implements Runnable {

    private static final Cleaner CLEANER = Cleaner.create();

    private final DeviceBackend<B> backend;
    private final List<DeviceBufferPool.Lease<B>> leases;
    private final String kind;
    private final Throwable site;
    private final Cleaner.Cleanable cleanable;
    private volatile boolean closed;

    /** Watches {@code owner}, a matrix or pattern described by {@code kind}, which holds {@code leases}. */
    TrackedAllocation(Object owner, DeviceBackend<B> backend, List<DeviceBufferPool.Lease<B>> leases, String kind) {
        this.backend = backend;
        this.leases = List.copyOf(leases);
        this.kind = kind;
        this.site = backend.recordsAllocationSites() ? new Throwable("allocated here") : null;
        this.cleanable = CLEANER.register(owner, this);
    }

    /** The buffer of lease {@code which}. */
    B buffer(int which) {
        return leases.get(which).buffer();
    }

    /** Returns the buffers to the pool (the owner was closed); no report. */
    void close() {
        closed = true;
        cleanable.clean();
    }

    /** Runs once: from {@link #close()}, or from the cleaner's thread when the owner was never closed. */
    @Override
    public void run() {
        long bytes = 0;
        for (DeviceBufferPool.Lease<B> lease : leases) {
            bytes += lease.capacity();
            backend.pool().release(lease);
        }
        // released before the report, so that whoever waits for the report finds the memory back in the pool
        if (!closed) {
            backend.reportLeak(kind, bytes, site);
        }
    }
}
