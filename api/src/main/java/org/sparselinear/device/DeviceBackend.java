package org.sparselinear.device;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import org.sparselinear.api.Connectivity;
import org.sparselinear.api.DenseMatrix;
import org.sparselinear.api.SparseMatrix;
import org.sparselinear.spi.AbstractBackend;

/**
 * What the GPU backends (OpenCL, CUDA) share: device memory pooled by size class ({@link DeviceBufferPool}, sized by
 * {@link PoolSizing}), dense matrices ({@link DeviceDenseMatrix}) and patterns ({@link DevicePattern}) in pooled
 * buffers, the upload of int arrays (patterns, labels, gather positions), the host loop of RigL's grow step
 * ({@link DeviceTopK}), leak reports, and the order of {@link #close()}. A backend supplies the device primitives:
 * allocating, freeing and writing buffers, filling a matrix, scanning a block of the grow step, waiting for the
 * device, and turning a {@link DeviceException} into its own exception with the operation's context.
 *
 * <p>Leaks: a matrix or pattern created outside any {@link org.sparselinear.api.MemoryScope} and dropped without
 * {@code close()} is noticed by a {@link java.lang.ref.Cleaner} once the garbage collector finds it unreachable;
 * its buffers go back to the pool and a warning is logged ({@link System.Logger} {@value #LOGGER}) naming its kind,
 * its shape and bytes, and, with {@code -D}{@value #ALLOCATION_SITES_PROPERTY}{@code =true}, where it was
 * allocated.
 *
 * @param <B> the device's buffer handle ({@code cl_mem} for OpenCL, a {@code Long} address for CUDA)
 */
public abstract class DeviceBackend<B> extends AbstractBackend {

    /** The name of the {@link System.Logger} leak reports go to. */
    public static final String LOGGER = "org.sparselinear.device";

    /** System property: {@code true} records where each device matrix is allocated, for leak reports (slower). */
    public static final String ALLOCATION_SITES_PROPERTY = "sparselinear.device.allocationSites";

    private static final System.Logger LEAKS = System.getLogger(LOGGER);

    private final DeviceBufferPool<B> pool;
    private final long poolLimit;
    private final boolean allocationSites = Boolean.getBoolean(ALLOCATION_SITES_PROPERTY);
    private final AtomicLong leaks = new AtomicLong();

    /** A backend whose pool keeps at most {@code poolLimit} bytes of free buffers. */
    protected DeviceBackend(long poolLimit) {
        this.poolLimit = poolLimit;
        this.pool = new DeviceBufferPool<>(
                new DeviceBufferPool.Allocator<>() {
                    @Override
                    public B allocate(long bytes) {
                        return allocateBuffer(bytes);
                    }

                    @Override
                    public void release(B buffer) {
                        releaseBuffer(buffer);
                    }
                },
                poolLimit);
    }

    // ---- the device primitives ----------------------------------------------------------

    /** A new device buffer of exactly {@code bytes} bytes (contents undefined). */
    protected abstract B allocateBuffer(long bytes);

    /** Frees a buffer from {@link #allocateBuffer}; work already queued that uses it still completes. */
    protected abstract void releaseBuffer(B buffer);

    /** Copies {@code values} (not empty) to the start of {@code buffer}. */
    protected abstract void writeInts(B buffer, int[] values);

    /**
     * The exception to throw for {@code failure} inside the backend operation {@code operation}: the backend's
     * own, with {@link DeviceException#describe} of the operation and its labelled operands in front, and its
     * advice after.
     */
    protected abstract RuntimeException failure(DeviceException failure, String operation, Object... operands);

    /**
     * The exception for a device allocation of {@code bytes} that failed with {@code failure}: what the device
     * has left, what this backend holds, and what to do.
     */
    protected abstract RuntimeException allocationFailure(DeviceException failure, long bytes);

    /**
     * Opens the device's scan of RigL's grow step ({@link DeviceTopK.BlockScan}) over {@code dy^T x}, skipping
     * the positions stored in {@code exclude}, for blocks of {@code blockRows} rows and a selection of at most
     * {@code capacity}.
     */
    protected abstract DeviceTopK.BlockScan openGrowScan(
            DenseMatrix dy, DenseMatrix x, DevicePattern<B> exclude, int blockRows, int capacity);

    /** Waits for everything queued; called by {@link #close()} before the memory is freed. */
    protected abstract void finishQueuedWork();

    /** Releases what the backend holds besides pooled memory (kernels, queue, context); called last by close. */
    protected abstract void releaseDevice();

    /**
     * Refuses a buffer the device cannot hold in one allocation, with {@code what} needs it in the message; by
     * default nothing is refused here (the allocation itself fails).
     *
     * @throws IllegalArgumentException when {@code bytes} is more than one buffer may hold
     */
    protected void checkBufferSize(long bytes, String what) {}

    // ---- memory -------------------------------------------------------------------------

    /** The pool of device buffers. */
    protected final DeviceBufferPool<B> pool() {
        return pool;
    }

    /** The most bytes of free buffers the pool keeps. */
    protected final long poolLimit() {
        return poolLimit;
    }

    /** The device buffer pool's usage: bytes in use and pooled, buffers created and reused. */
    public final DeviceBufferPool.Usage memoryUsage() {
        return pool.usage();
    }

    /** Releases every free pooled buffer to the device; the matrices in use keep theirs. */
    public final void releasePooledBuffers() {
        pool.trim();
    }

    /**
     * Matrices and patterns whose memory the cleaner took back because they became unreachable without being
     * closed (each one also logged as a warning).
     */
    public final long leakedAllocations() {
        return leaks.get();
    }

    /** The device's bytes for a pattern, each of its arrays rounded up to its pool size class. */
    @Override
    public final long patternBytes(int rows, int columns, long nnz) {
        return PoolSizing.patternBytes(rows, columns, nnz);
    }

    /** Throws when the backend was closed. */
    protected final void ensureOpen() {
        if (isClosed()) {
            throw new IllegalStateException("the " + name() + " backend was closed; its matrices are no longer usable; "
                    + "get a new one from Backends.get()");
        }
    }

    /** Pooled device memory of at least {@code bytes} for {@code what}; release it with {@link #release}. */
    protected final DeviceBufferPool.Lease<B> lease(long bytes, String what) {
        ensureOpen();
        checkBufferSize(bytes, what);
        try {
            return pool.acquire(bytes);
        } catch (DeviceException e) {
            throw allocationFailure(e, bytes);
        }
    }

    /** Returns a lease from {@link #lease} to the pool. */
    protected final void release(DeviceBufferPool.Lease<B> lease) {
        pool.release(lease);
    }

    /** {@code values} in pooled device memory, for {@code what} (labels, positions); release it with {@link #release}. */
    protected final DeviceBufferPool.Lease<B> uploadInts(int[] values, String what) {
        DeviceBufferPool.Lease<B> lease = lease((long) values.length * Integer.BYTES, what);
        try {
            if (values.length > 0) {
                writeInts(lease.buffer(), values);
            }
            return lease;
        } catch (RuntimeException e) {
            pool.release(lease);
            throw e;
        }
    }

    /** The buffer of a matrix of this backend. */
    @SuppressWarnings("unchecked")
    protected final B buffer(DenseMatrix matrix) {
        return ((DeviceDenseMatrix<B>) matrix).buffer();
    }

    /** A pattern of this backend. */
    @SuppressWarnings("unchecked")
    protected static <B> DevicePattern<B> pattern(SparseMatrix matrix) {
        return (DevicePattern<B>) matrix;
    }

    @Override
    protected final DenseMatrix allocate(int rows, int columns) {
        DeviceBufferPool.Lease<B> lease;
        try {
            lease = lease(4L * rows * columns, "zeros (" + rows + ", " + columns + ")");
        } catch (DeviceException e) {
            throw failure(e, "zeros", "shape", "(" + rows + ", " + columns + ")");
        }
        DeviceDenseMatrix<B> matrix = new DeviceDenseMatrix<>(this, rows, columns, lease);
        try {
            fillImpl(matrix, 0f);
        } catch (RuntimeException e) {
            matrix.close();
            throw e;
        }
        return matrix;
    }

    @Override
    protected final SparseMatrix buildPattern(Connectivity connectivity) {
        int[][] arrays = DevicePatternArrays.of(connectivity);
        List<DeviceBufferPool.Lease<B>> leases = new ArrayList<>(arrays.length);
        try {
            for (int[] array : arrays) {
                leases.add(uploadInts(
                        array,
                        "pattern " + connectivity.rows() + " x " + connectivity.columns() + " with nnz "
                                + connectivity.nnz()));
            }
        } catch (RuntimeException e) {
            leases.forEach(pool::release);
            throw e instanceof DeviceException device ? failure(device, "pattern", "connectivity", connectivity) : e;
        }
        return new DevicePattern<>(this, connectivity, leases);
    }

    // ---- rewiring -----------------------------------------------------------------------

    /** RigL's grow step: the shared host loop ({@link DeviceTopK}) over the backend's device scan. */
    @Override
    protected final int[][] topKAbsDenseGradientImpl(DenseMatrix dy, DenseMatrix x, SparseMatrix exclude, int k) {
        try {
            return DeviceTopK.select(
                    exclude.rows(),
                    exclude.columns(),
                    exclude.nnz(),
                    k,
                    (blockRows, capacity) -> openGrowScan(dy, x, pattern(exclude), blockRows, capacity));
        } catch (DeviceException e) {
            throw failure(e, "topKAbsDenseGradient", "dy", dy, "x", x, "exclude", exclude, "k", k);
        }
    }

    // ---- leaks and close ----------------------------------------------------------------

    /** Whether allocations record their stack ({@value #ALLOCATION_SITES_PROPERTY}). */
    final boolean recordsAllocationSites() {
        return allocationSites;
    }

    /** Counts and logs a matrix or pattern reclaimed by the cleaner; nothing once the backend is closed. */
    final void reportLeak(String kind, long bytes, Throwable site) {
        if (isClosed()) {
            return;
        }
        String message = "a " + kind + " of the " + name() + " backend (" + bytes + " bytes of device memory) became "
                + "unreachable without close(); its memory went back to the pool. Close device matrices you create "
                + "outside a MemoryScope, or create them inside one (try (MemoryScope s = backend.newScope()) {...})"
                + (site == null ? "; -D" + ALLOCATION_SITES_PROPERTY + "=true shows where each was allocated" : "");
        if (site == null) {
            LEAKS.log(System.Logger.Level.WARNING, message);
        } else {
            LEAKS.log(System.Logger.Level.WARNING, message, site);
        }
        // counted after the report, so whoever sees the count also finds the report
        leaks.incrementAndGet();
    }

    /**
     * Waits for the device, then frees every device buffer (pooled or still held by a matrix) and the device's
     * other resources; the matrices of this backend become unusable. Idempotent.
     */
    @Override
    public final synchronized void close() {
        if (isClosed()) {
            return;
        }
        markClosed();
        try {
            finishQueuedWork();
        } finally {
            try {
                pool.close();
            } finally {
                releaseDevice();
            }
        }
    }
}
