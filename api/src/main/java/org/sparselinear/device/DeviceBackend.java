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
 * ({@link DeviceTopK}), the nine products of a sparse input ({@link org.sparselinear.spi.SparseInputProducts}) as
 * launches of four kernels (with the arguments of three, {@link SparseInputKernel}, built here), leak reports, and
 * the order of {@link #close()}. A backend supplies the device primitives: allocating, freeing and writing buffers,
 * filling a matrix, scanning a block of the grow step, its compiled sparse-input kernels ({@link #signature}) and
 * their launch ({@link #launchSparseInput}), the SDDMM ({@link #sampledDots}), waiting for the device, and turning
 * a {@link DeviceException} into its own exception with the operation's context.
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

    /**
     * The forward product through a sparse weight splits a sample's outputs into at most this many ranges, one per
     * work-item: a warp's worth, so that a batch of one still runs 32 work-items per sample.
     */
    protected static final int OUTPUT_RANGES = 32;

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

    // ---- sparse input -------------------------------------------------------------------

    /*
     * The nine products of SparseInputProducts, once for both GPU backends, on four kernels each backend launches.
     * X is a pattern (B, in) with values in CSR order; dense matrices are feature-major, so W (out, in) read by
     * input feature i is (w, out, 1), and y or dy (B, out) read by sample b is (y, 1, B). A sparse weight is read by
     * input feature through CompressedLines: its CSC columns (values through the transpose map), or, held
     * input-major, the CSR rows of W^T (values in place). Every kernel is
     * partitioned by what it writes (no atomics), and sums in a fixed order, so results are deterministic.
     */

    /** The backend's compiled kernel for {@code kernel}; the arguments built here must match its parameters. */
    protected abstract KernelSignature signature(SparseInputKernel kernel);

    /**
     * Checks {@code args} against their kernel and queues it with one work-item per unit of {@code workItems}
     * (the kernel returns for the work-items past the end).
     */
    protected abstract void launchSparseInput(KernelArgs<B> args, long workItems);

    /**
     * Queues {@code out(l, o) += sum over the entries q of line l of value(q) * dense(indices[q], o)} for every line
     * {@code l} with entries and every {@code o < width}; lines without entries are left as they are. Work:
     * {@code width} per stored entry (the first entry of each line sums the line).
     */
    private void sumLines(CompressedLines<B> lines, B values, Strided<B> dense, Strided<B> out, int width, int nnz) {
        launchSparseInput(
                new KernelArgs<B>(signature(SparseInputKernel.LINES_DENSE))
                        .buffer(lines.pointers())
                        .buffer(lines.indices())
                        .buffer(lines.lineOf())
                        .buffer(positionsOrIndices(lines))
                        .flag(lines.usesPositions())
                        .buffer(values)
                        .strided(dense)
                        .strided(out)
                        .integer(width)
                        .integer(nnz),
                (long) width * nnz);
    }

    /** The positions of {@code lines}, or for a CSR (which has none) a buffer the kernel is told not to read. */
    private static <B> B positionsOrIndices(CompressedLines<B> lines) {
        return lines.usesPositions() ? lines.positions() : lines.indices();
    }

    /**
     * Queues, for every sample {@code b < batch}, {@code y[o * batch + b] += x * w} for every entry {@code (b, i, x)}
     * of {@code rows} and every entry {@code (o, w)} of line {@code i} of {@code columns} ({@code o < outputs}),
     * the entries of a row taken in order. The outputs of a sample are split into ranges between the work-items
     * of its row ({@code ranges} per sample, at most {@value #OUTPUT_RANGES}), each finding its range in a column
     * by binary search (the entries of a line are sorted). The lines are a sparse weight's CSC columns, or the CSR
     * rows of a weight held input-major.
     */
    private void sumRowsThroughColumns(
            CompressedLines<B> rows,
            B rowValues,
            CompressedLines<B> columns,
            B columnValues,
            B y,
            int batch,
            int outputs,
            int ranges) {
        launchSparseInput(
                new KernelArgs<B>(signature(SparseInputKernel.ROWS_THROUGH_COLUMNS))
                        .buffer(rows.pointers())
                        .buffer(rows.indices())
                        .buffer(rowValues)
                        .buffer(columns.pointers())
                        .buffer(columns.indices())
                        .buffer(positionsOrIndices(columns))
                        .flag(columns.usesPositions())
                        .buffer(columnValues)
                        .buffer(y)
                        .integer(batch)
                        .integer(outputs)
                        .integer(ranges),
                (long) batch * ranges);
    }

    /**
     * Queues, for every entry {@code k < nnz} at {@code (entryRows[k], entryColumns[k])},
     * {@code out[k] (+)= sum over the entries q of line entryColumns[k] of dense(entryRows[k], indices[q]) *
     * value(q)} (a CSC column read through the transpose map, or a CSR row); {@code accumulate} false overwrites
     * without reading {@code out}.
     */
    private void columnDots(
            B entryRows,
            B entryColumns,
            CompressedLines<B> columns,
            B columnValues,
            Strided<B> dense,
            B out,
            int nnz,
            boolean accumulate) {
        launchSparseInput(
                new KernelArgs<B>(signature(SparseInputKernel.COLUMN_DOTS))
                        .buffer(entryRows)
                        .buffer(entryColumns)
                        .buffer(columns.pointers())
                        .buffer(columns.indices())
                        .buffer(positionsOrIndices(columns))
                        .flag(columns.usesPositions())
                        .buffer(columnValues)
                        .strided(dense)
                        .buffer(out)
                        .integer(nnz)
                        .flag(accumulate),
                nnz);
    }

    /**
     * Queues the sampled dense-dense product (SDDMM): for every entry {@code k < nnz},
     * {@code out[k] (+)= sum over j < length of a(entryRows[k], j) * b(entryColumns[k], j)}; {@code accumulate}
     * false overwrites without reading {@code out}. The backends' SDDMM kernels differ in how they split an entry's
     * dot between work-items; they take the arguments of {@link #sampledDotsArgs} first.
     */
    protected abstract void sampledDots(
            B entryRows, B entryColumns, Strided<B> a, Strided<B> b, int length, B out, int nnz, boolean accumulate);

    /**
     * The arguments every backend's SDDMM {@code kernel} begins with: the entries' rows and columns, {@code a} and
     * {@code b} (buffer, line stride, stride), {@code out}, {@code nnz} and {@code length}; the backend adds its
     * own after them.
     */
    protected static <B> KernelArgs<B> sampledDotsArgs(
            KernelSignature kernel,
            B entryRows,
            B entryColumns,
            Strided<B> a,
            Strided<B> b,
            int length,
            B out,
            int nnz) {
        return new KernelArgs<B>(kernel)
                .buffer(entryRows)
                .buffer(entryColumns)
                .strided(a)
                .strided(b)
                .buffer(out)
                .integer(nnz)
                .integer(length);
    }

    /** y = X W^T: the CSR rows of X against W's columns, over y filled with zeros. */
    @Override
    protected final void sparseInputDenseImpl(SparseMatrix x, DenseMatrix xValues, DenseMatrix weight, DenseMatrix y) {
        fillImpl(y, 0f);
        if (x.nnz() == 0) {
            return;
        }
        try {
            int out = weight.rows();
            sumLines(
                    CompressedLines.rowsOf(pattern(x)),
                    buffer(xValues),
                    new Strided<>(buffer(weight), out, 1),
                    new Strided<>(buffer(y), 1, y.rows()),
                    out,
                    x.nnz());
        } catch (DeviceException e) {
            throw failure(e, "sparseInputDense", "x", x, "weight", weight, "y", y);
        }
    }

    /** dW (+)= dy^T X: the CSC columns of X against dy's rows; only the input features present are touched. */
    @Override
    protected final void sparseInputDenseWeightGradientImpl(
            SparseMatrix x, DenseMatrix xValues, DenseMatrix dy, DenseMatrix dWeight, boolean accumulate) {
        if (!accumulate) {
            fillImpl(dWeight, 0f);
        }
        if (x.nnz() == 0) {
            return;
        }
        try {
            int out = dWeight.rows();
            sumLines(
                    CompressedLines.columnsOf(pattern(x)),
                    buffer(xValues),
                    new Strided<>(buffer(dy), 1, dy.rows()),
                    new Strided<>(buffer(dWeight), out, 1),
                    out,
                    x.nnz());
        } catch (DeviceException e) {
            throw failure(e, "sparseInputDenseWeightGradient", "x", x, "dy", dy, "dWeight", dWeight);
        }
    }

    /** dX values (+)= (dy W) sampled at X's entries: a dot of dy's row b and W's column i per entry (b, i). */
    @Override
    protected final void sparseInputDenseInputGradientImpl(
            SparseMatrix x, DenseMatrix dy, DenseMatrix weight, DenseMatrix dxValues, boolean accumulate) {
        if (x.nnz() == 0) {
            return;
        }
        DevicePattern<B> p = pattern(x);
        try {
            sampledDots(
                    p.buffer(DevicePatternArrays.ENTRY_ROWS),
                    p.buffer(DevicePatternArrays.COLUMN_INDICES),
                    new Strided<>(buffer(dy), 1, dy.rows()),
                    new Strided<>(buffer(weight), weight.rows(), 1),
                    weight.rows(),
                    buffer(dxValues),
                    x.nnz(),
                    accumulate);
        } catch (DeviceException e) {
            throw failure(e, "sparseInputDenseInputGradient", "x", x, "dy", dy, "weight", weight);
        }
    }

    /** y = X W^T with W sparse: X's rows through W's CSC columns, over y filled with zeros. */
    @Override
    protected final void sparseInputSparseImpl(
            SparseMatrix x, DenseMatrix xValues, SparseMatrix weight, DenseMatrix weightValues, DenseMatrix y) {
        forwardByFeature(
                "sparseInputSparse",
                x,
                xValues,
                weight,
                CompressedLines.columnsOf(pattern(weight)),
                weightValues,
                weight.rows(),
                y);
    }

    /** y = X T with T = W^T held input-major: X's rows through T's CSR rows, over y filled with zeros. */
    @Override
    protected final void sparseInputTransposedSparseImpl(
            SparseMatrix x, DenseMatrix xValues, SparseMatrix weightT, DenseMatrix weightTValues, DenseMatrix y) {
        forwardByFeature(
                "sparseInputTransposedSparse",
                x,
                xValues,
                weightT,
                CompressedLines.rowsOf(pattern(weightT)),
                weightTValues,
                weightT.columns(),
                y);
    }

    /** The weight gradient at W's connections (o, i): dy's column o against X's column i, per connection. */
    @Override
    protected final void sparseInputSparseWeightGradientImpl(
            SparseMatrix x,
            DenseMatrix xValues,
            SparseMatrix weight,
            DenseMatrix dy,
            DenseMatrix dWeightValues,
            boolean accumulate) {
        DevicePattern<B> w = pattern(weight);
        weightGradientByConnection(
                "sparseInputSparseWeightGradient",
                x,
                xValues,
                weight,
                w.buffer(DevicePatternArrays.ENTRY_ROWS),
                w.buffer(DevicePatternArrays.COLUMN_INDICES),
                dy,
                dWeightValues,
                accumulate);
    }

    /** The weight gradient at T's connections (i, o): dy's column o against X's column i, per connection. */
    @Override
    protected final void sparseInputTransposedSparseWeightGradientImpl(
            SparseMatrix x,
            DenseMatrix xValues,
            SparseMatrix weightT,
            DenseMatrix dy,
            DenseMatrix dWeightTValues,
            boolean accumulate) {
        DevicePattern<B> t = pattern(weightT);
        weightGradientByConnection(
                "sparseInputTransposedSparseWeightGradient",
                x,
                xValues,
                weightT,
                t.buffer(DevicePatternArrays.COLUMN_INDICES),
                t.buffer(DevicePatternArrays.ENTRY_ROWS),
                dy,
                dWeightTValues,
                accumulate);
    }

    /** The input gradient at X's entries (b, i): dy's row b against W's column i, per entry. */
    @Override
    protected final void sparseInputSparseInputGradientImpl(
            SparseMatrix x,
            SparseMatrix weight,
            DenseMatrix weightValues,
            DenseMatrix dy,
            DenseMatrix dxValues,
            boolean accumulate) {
        inputGradientByFeature(
                "sparseInputSparseInputGradient",
                x,
                weight,
                CompressedLines.columnsOf(pattern(weight)),
                weightValues,
                dy,
                dxValues,
                accumulate);
    }

    /** The input gradient at X's entries (b, i): dy's row b against T's row i, per entry. */
    @Override
    protected final void sparseInputTransposedSparseInputGradientImpl(
            SparseMatrix x,
            SparseMatrix weightT,
            DenseMatrix weightTValues,
            DenseMatrix dy,
            DenseMatrix dxValues,
            boolean accumulate) {
        inputGradientByFeature(
                "sparseInputTransposedSparseInputGradient",
                x,
                weightT,
                CompressedLines.rowsOf(pattern(weightT)),
                weightTValues,
                dy,
                dxValues,
                accumulate);
    }

    /**
     * The forward product through a sparse weight whose connections of input {@code i} are line {@code i} of
     * {@code byFeature} (W's CSC columns, or the CSR rows of a weight held input-major).
     */
    private void forwardByFeature(
            String operation,
            SparseMatrix x,
            DenseMatrix xValues,
            SparseMatrix weight,
            CompressedLines<B> byFeature,
            DenseMatrix weightValues,
            int outputs,
            DenseMatrix y) {
        fillImpl(y, 0f);
        if (x.nnz() == 0 || weight.nnz() == 0) {
            return;
        }
        try {
            sumRowsThroughColumns(
                    CompressedLines.rowsOf(pattern(x)),
                    buffer(xValues),
                    byFeature,
                    buffer(weightValues),
                    buffer(y),
                    x.rows(),
                    outputs,
                    Math.min(OUTPUT_RANGES, outputs));
        } catch (DeviceException e) {
            throw failure(e, operation, "x", x, "weight", weight, "y", y);
        }
    }

    /** The gradient of a sparse weight, per connection {@code k} of output {@code outputs[k]} and input {@code inputs[k]}. */
    private void weightGradientByConnection(
            String operation,
            SparseMatrix x,
            DenseMatrix xValues,
            SparseMatrix weight,
            B outputs,
            B inputs,
            DenseMatrix dy,
            DenseMatrix dWeightValues,
            boolean accumulate) {
        if (weight.nnz() == 0) {
            return;
        }
        try {
            columnDots(
                    outputs,
                    inputs,
                    CompressedLines.columnsOf(pattern(x)),
                    buffer(xValues),
                    new Strided<>(buffer(dy), dy.rows(), 1),
                    buffer(dWeightValues),
                    weight.nnz(),
                    accumulate);
        } catch (DeviceException e) {
            throw failure(e, operation, "x", x, "weight", weight, "dy", dy);
        }
    }

    /** The input gradient through a sparse weight whose connections of input {@code i} are line {@code i} of {@code byFeature}. */
    private void inputGradientByFeature(
            String operation,
            SparseMatrix x,
            SparseMatrix weight,
            CompressedLines<B> byFeature,
            DenseMatrix weightValues,
            DenseMatrix dy,
            DenseMatrix dxValues,
            boolean accumulate) {
        if (x.nnz() == 0) {
            return;
        }
        DevicePattern<B> p = pattern(x);
        try {
            columnDots(
                    p.buffer(DevicePatternArrays.ENTRY_ROWS),
                    p.buffer(DevicePatternArrays.COLUMN_INDICES),
                    byFeature,
                    buffer(weightValues),
                    new Strided<>(buffer(dy), 1, dy.rows()),
                    buffer(dxValues),
                    x.nnz(),
                    accumulate);
        } catch (DeviceException e) {
            throw failure(e, operation, "x", x, "weight", weight, "dy", dy);
        }
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
