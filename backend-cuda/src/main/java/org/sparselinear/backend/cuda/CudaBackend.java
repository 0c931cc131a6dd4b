package org.sparselinear.backend.cuda;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.sparselinear.api.Activation;
import org.sparselinear.api.BackendException;
import org.sparselinear.api.DenseMatrix;
import org.sparselinear.api.SparseMatrix;
import org.sparselinear.device.DeviceBackend;
import org.sparselinear.device.DeviceBufferPool;
import org.sparselinear.device.DeviceException;
import org.sparselinear.device.DevicePattern;
import org.sparselinear.device.DevicePatternArrays;
import org.sparselinear.device.DeviceTopK;
import org.sparselinear.device.KernelArgs;
import org.sparselinear.device.PoolSizing;
import org.sparselinear.device.SparseInputKernel;
import org.sparselinear.device.Strided;
import org.sparselinear.spi.AdagradSettings;
import org.sparselinear.spi.AdamSettings;
import org.sparselinear.spi.SgdSettings;

/**
 * The CUDA backend: every operation of {@link org.sparselinear.api.Backend} runs as one of the backend's own
 * CUDA kernels ({@code src/main/cuda}, shipped as PTX and loaded through the driver API), on one GPU and one
 * stream; the sparse products go to cuSPARSE instead where {@code libcusparse.so.12} loads and the product is
 * large ({@link SparseRoute}).
 *
 * <p>Dense matrices are feature-major (element {@code (r, c)} at {@code c * rows + r}), like every backend;
 * {@link #upload} and {@link #download} change the layout on the device (a tiled transposition through a pooled
 * staging buffer). Patterns are kept as CSR, the row of every entry and the CSC transpose map
 * ({@link DevicePattern}), 16 bytes per connection.
 *
 * <p>Device memory is pooled by size class ({@link DeviceBufferPool}): closing a matrix or its memory scope returns its
 * buffer for reuse, so a training step stops calling {@code cuMemAlloc} once the first steps have filled the pool.
 * Free buffers beyond {@value #POOL_PROPERTY} bytes (default a quarter of device memory) are freed.
 *
 * <p>What touches the host during a training step: the labels of the softmax losses and the positions of
 * {@link #gather}, copied to the device per call; the result of {@link #argmaxRows}; and
 * {@link #topKAbsDenseGradient}, which reads each row block's few device-selected candidates and merges them into
 * a running top k ({@link RunningTopK}). Losses stay on the device in their {@code (1, 1)} matrix. Every other call
 * only queues work on the stream and returns.
 *
 * <p>Errors of the CUDA calls become {@link CudaException}s that name the operation and its operands' shapes. A
 * kernel that fails while running is only noticed at the next call that waits for the stream (a download); that
 * message lists the last operations queued, and {@value #SYNCHRONOUS_PROPERTY}{@code =true} makes every operation
 * wait, so that the failing one is named. Thread-safe: operations may come from several threads, on distinct
 * output matrices; they are queued on the one stream in the order they arrive.
 */
public final class CudaBackend extends DeviceBackend<Long> {

    /** The backend's name. */
    public static final String NAME = "cuda";

    /** System property choosing the device: an index, or part of its name (see {@link CudaBackendProvider}). */
    public static final String DEVICE_PROPERTY = CudaDeviceSelector.PROPERTY;

    /** System property bounding the bytes of free buffers the pool keeps (default: a quarter of device memory). */
    public static final String POOL_PROPERTY = "sparselinear.cuda.poolBytes";

    /** System property choosing cuSPARSE for the sparse products: {@code auto}, {@code never}, {@code always}. */
    public static final String CUSPARSE_PROPERTY = SparseRoute.PROPERTY;

    /** System property that makes every operation wait for the device, so that an error names its operation. */
    public static final String SYNCHRONOUS_PROPERTY = "sparselinear.cuda.synchronous";

    private final CudaDevice device;
    private final CusparseProducts cusparse;
    private final SparseRoute route;
    private final boolean synchronous;
    private final RecentOperations recent = new RecentOperations();

    /** A backend on the device {@value #DEVICE_PROPERTY} names (device 0 when unset). */
    public CudaBackend() {
        this(System.getProperty(DEVICE_PROPERTY));
    }

    /**
     * A backend on the device {@code device} names: an index, part of the device's name, or null for device 0.
     *
     * @throws BackendException when CUDA is unavailable (with the probe's reason) or the kernels do not load
     * @throws IllegalArgumentException when no device matches, listing the devices
     */
    public CudaBackend(String device) {
        this(
                openDevice(device),
                SparseRoute.Mode.parse(System.getProperty(CUSPARSE_PROPERTY)),
                Boolean.getBoolean(SYNCHRONOUS_PROPERTY),
                PoolSizing.configuredLimit(POOL_PROPERTY));
    }

    /** Checks the properties (so that a bad one fails before the device is opened), then opens the device. */
    private static DriverDevice openDevice(String spec) {
        SparseRoute.Mode.parse(System.getProperty(CUSPARSE_PROPERTY));
        PoolSizing.configuredLimit(POOL_PROPERTY);
        return DriverDevice.open(spec);
    }

    /**
     * A backend on {@code device}: cuSPARSE is opened when the device is a {@link DriverDevice}, {@code mode} is not
     * {@code never} and its library loads. A negative {@code poolLimit} keeps up to a quarter of device memory.
     */
    CudaBackend(CudaDevice device, SparseRoute.Mode mode, boolean synchronous, long poolLimit) {
        super(PoolSizing.limit(poolLimit, device.info().totalMemory()));
        this.device = device;
        this.synchronous = synchronous;
        try {
            this.cusparse = mode != SparseRoute.Mode.NEVER && device instanceof DriverDevice driver
                    ? CusparseProducts.openOrNull(driver, pool())
                    : null;
            this.route = new SparseRoute(mode, cusparse != null);
        } catch (RuntimeException | LinkageError e) {
            device.close();
            throw e;
        }
    }

    // ---- information --------------------------------------------------------------------

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public String description() {
        CudaDeviceInfo info = device.info();
        return String.format(
                Locale.ROOT,
                "CUDA on %s, driver CUDA %s; %s; %s; one stream, feature-major layout, "
                        + "pooled device memory (free buffers up to %s); on the host: labels and gather positions "
                        + "copied per call, argmaxRows' result, and topKAbsDenseGradient's merge of each row block's "
                        + "device-selected candidates into the top k",
                info.line(),
                CudaDeviceInfo.cudaVersion(info.driverVersion()),
                device.kernelSource(),
                route.describe(cusparse == null ? "" : cusparse.version()),
                CudaDeviceInfo.gibibytes(poolLimit()));
    }

    /** The device. */
    public CudaDeviceInfo deviceInfo() {
        return device.info();
    }

    /** Whether the sparse products can use cuSPARSE (its library loaded and {@value #CUSPARSE_PROPERTY} is not never). */
    public boolean usesCusparse() {
        return route.cusparseLoaded() && route.mode() != SparseRoute.Mode.NEVER;
    }

    /** Free device memory plus the pool's free buffers (which an allocation releases when it needs them). */
    @Override
    public long availableBytes() {
        try {
            return device.freeMemory() + pool().bytesPooled();
        } catch (CudaException e) {
            return Math.max(0, device.info().totalMemory() - pool().bytesInUse());
        }
    }

    /** Waits until every queued operation has run (for timing; results are read with {@link #download}). */
    @Override
    public void synchronize() {
        ensureOpen();
        try {
            device.synchronize();
        } catch (CudaException e) {
            throw failure(e, "synchronize");
        }
    }

    // ---- helpers ------------------------------------------------------------------------

    private long a(DenseMatrix matrix) {
        return buffer(matrix);
    }

    private static int n(DenseMatrix matrix) {
        return (int) matrix.size();
    }

    private static KernelArgs<Long> args(Kernel kernel) {
        return new KernelArgs<>(kernel);
    }

    /** Checks and queues a launch; waits for it in synchronous mode. */
    private void launch(String op, LaunchConfig config, KernelArgs<Long> args) {
        ensureOpen();
        args.check();
        recent.add(op, (Kernel) args.kernel());
        device.launch(config, args);
        if (synchronous) {
            device.synchronize();
        }
    }

    /** An element-wise launch over {@code n} elements; nothing for none. */
    private void elementwise(String op, KernelArgs<Long> args, long n) {
        if (n > 0) {
            launch(op, LaunchConfig.elementwise(n), args);
        }
    }

    // ---- the device primitives ----------------------------------------------------------

    @Override
    protected Long allocateBuffer(long bytes) {
        return device.allocate(bytes);
    }

    @Override
    protected void releaseBuffer(Long address) {
        device.free(address);
    }

    @Override
    protected void writeInts(Long address, int[] values) {
        device.upload(address, values);
    }

    /** For an out-of-memory failure, how much the device has left and what this backend holds. */
    @Override
    protected RuntimeException allocationFailure(DeviceException failure, long bytes) {
        if (failure.status() != CudaStatus.OUT_OF_MEMORY) {
            return failure;
        }
        long free;
        try {
            free = device.freeMemory();
        } catch (CudaException ignored) {
            free = -1;
        }
        return new CudaException(
                String.format(
                        Locale.ROOT,
                        "device memory exhausted: %d bytes are needed, %s free "
                                + "on %s, %d held by this backend's open matrices and patterns; close matrices (or their "
                                + "MemoryScope) that are no longer needed, or use a smaller batch or layer",
                        bytes,
                        free < 0 ? "unknown" : Long.toString(free),
                        device.info().name(),
                        pool().bytesInUse()),
                failure.status());
    }

    /** The exception for a failure of {@code op}: its operands' shapes, and for a sticky error the last operations. */
    @Override
    protected CudaException failure(DeviceException e, String op, Object... operands) {
        String advice = "";
        if (CudaStatus.isSticky(e.status())) {
            advice = "; the CUDA context is now unusable: close this backend (Backends.get() then creates a new one)"
                    + (synchronous
                            ? ""
                            : "; the error may come from an earlier operation, as kernels run "
                                    + "asynchronously; the last ones queued: " + recent.describe() + "; -D"
                                    + SYNCHRONOUS_PROPERTY
                                    + "=true makes every operation wait, so that the failing one is named");
        }
        return new CudaException(DeviceException.describe(op, operands), e, advice);
    }

    /** Waits for the stream; a sticky error was already reported by the operation that met it. */
    @Override
    protected void finishQueuedWork() {
        try {
            device.synchronize();
        } catch (CudaException | IllegalStateException ignored) {
            // everything is released next
        }
    }

    @Override
    protected void releaseDevice() {
        try {
            if (cusparse != null) {
                cusparse.close();
            }
        } finally {
            device.close();
        }
    }

    // ---- memory -------------------------------------------------------------------------

    @Override
    protected void uploadImpl(float[] rowMajor, DenseMatrix target) {
        int rows = target.rows();
        int columns = target.columns();
        if (rowMajor.length == 0) {
            return;
        }
        try {
            if (rows == 1 || columns == 1) {
                device.upload(a(target), rowMajor, 0, rowMajor.length);
                return;
            }
            DeviceBufferPool.Lease<Long> staging = lease(4L * rowMajor.length, "upload staging");
            try {
                device.upload(staging.buffer(), rowMajor, 0, rowMajor.length);
                launch(
                        "upload",
                        LaunchConfig.transpose(rows, columns),
                        args(Kernel.TRANSPOSE)
                                .buffer(staging.buffer())
                                .buffer(a(target))
                                .integer(rows)
                                .integer(columns));
            } finally {
                release(staging);
            }
        } catch (CudaException e) {
            throw failure(e, "upload", "target", target);
        }
    }

    @Override
    protected float[] downloadImpl(DenseMatrix matrix) {
        int rows = matrix.rows();
        int columns = matrix.columns();
        float[] rowMajor = new float[n(matrix)];
        if (rowMajor.length == 0) {
            return rowMajor;
        }
        try {
            if (rows == 1 || columns == 1) {
                device.download(a(matrix), rowMajor);
                return rowMajor;
            }
            DeviceBufferPool.Lease<Long> staging = lease(4L * rowMajor.length, "download staging");
            try {
                launch(
                        "download",
                        LaunchConfig.transpose(columns, rows),
                        args(Kernel.TRANSPOSE)
                                .buffer(a(matrix))
                                .buffer(staging.buffer())
                                .integer(columns)
                                .integer(rows));
                device.download(staging.buffer(), rowMajor);
            } finally {
                release(staging);
            }
            return rowMajor;
        } catch (CudaException e) {
            throw failure(e, "download", "matrix", matrix);
        }
    }

    @Override
    protected void copyImpl(DenseMatrix source, DenseMatrix target) {
        if (source.size() == 0) {
            return;
        }
        try {
            device.copy(a(target), a(source), 4 * source.size());
        } catch (CudaException e) {
            throw failure(e, "copy", "source", source, "target", target);
        }
    }

    /** Feature-major: the columns are one contiguous range of each buffer. */
    @Override
    protected void copyColumnsImpl(
            DenseMatrix source, int sourceColumn, DenseMatrix target, int targetColumn, int count) {
        long column = (long) source.rows() * Float.BYTES;
        try {
            device.copy(a(target) + targetColumn * column, a(source) + sourceColumn * column, count * column);
        } catch (CudaException e) {
            throw failure(
                    e,
                    "copyColumns",
                    "source",
                    source,
                    "sourceColumn",
                    sourceColumn,
                    "target",
                    target,
                    "targetColumn",
                    targetColumn,
                    "count",
                    count);
        }
    }

    @Override
    protected void fillImpl(DenseMatrix matrix, float value) {
        if (matrix.size() == 0) {
            return;
        }
        try {
            device.fill32(a(matrix), Float.floatToRawIntBits(value), matrix.size());
        } catch (CudaException e) {
            throw failure(e, "fill", "matrix", matrix, "value", value);
        }
    }

    // ---- sparse -------------------------------------------------------------------------

    /** The sparse gather of the forward product (CSR) and of the input gradient (CSC, positions != 0). */
    private void gatherRows(
            String op,
            long pointers,
            long indices,
            long positions,
            long values,
            long in,
            long out,
            int outputRows,
            long nnz,
            int batch,
            boolean accumulate) {
        if (LaunchConfig.useWarpRows(batch, outputRows, nnz)) {
            launch(
                    op,
                    LaunchConfig.spmmWarpRows(outputRows),
                    args(Kernel.SPMM_WARP_ROWS)
                            .buffer(pointers)
                            .buffer(indices)
                            .buffer(positions)
                            .flag(positions != 0)
                            .buffer(values)
                            .buffer(in)
                            .buffer(out)
                            .integer(outputRows)
                            .flag(accumulate));
        } else {
            launch(
                    op,
                    LaunchConfig.spmmBlockRows(outputRows, batch),
                    args(Kernel.SPMM_BLOCK_ROWS)
                            .buffer(pointers)
                            .buffer(indices)
                            .buffer(positions)
                            .flag(positions != 0)
                            .buffer(values)
                            .buffer(in)
                            .buffer(out)
                            .integer(batch)
                            .integer(LaunchConfig.spmmBatchLanes(batch))
                            .flag(accumulate));
        }
    }

    @Override
    protected void spmmImpl(SparseMatrix weight, DenseMatrix values, DenseMatrix x, DenseMatrix y) {
        DevicePattern<Long> w = pattern(weight);
        int batch = x.rows();
        try {
            if (route.useCusparse(w.nnz(), batch)) {
                synchronized (cusparse) {
                    cusparse.spmm(w, a(values), a(x), a(y), batch);
                }
            } else {
                gatherRows(
                        "spmm",
                        w.buffer(DevicePatternArrays.ROW_POINTERS),
                        w.buffer(DevicePatternArrays.COLUMN_INDICES),
                        0,
                        a(values),
                        a(x),
                        a(y),
                        w.rows(),
                        w.nnz(),
                        batch,
                        false);
            }
        } catch (CudaException e) {
            throw failure(e, "spmm", "weight", weight, "x", x, "y", y);
        }
    }

    @Override
    protected void spmmTransposedImpl(
            SparseMatrix weight, DenseMatrix values, DenseMatrix dy, DenseMatrix dx, boolean accumulate) {
        DevicePattern<Long> w = pattern(weight);
        int batch = dy.rows();
        try {
            if (route.useCusparse(w.nnz(), batch)) {
                synchronized (cusparse) {
                    cusparse.spmmTransposed(w, a(values), a(dy), a(dx), batch, accumulate);
                }
            } else {
                gatherRows(
                        "spmmTransposed",
                        w.buffer(DevicePatternArrays.COLUMN_POINTERS),
                        w.buffer(DevicePatternArrays.ROW_INDICES),
                        w.buffer(DevicePatternArrays.VALUE_POSITIONS),
                        a(values),
                        a(dy),
                        a(dx),
                        w.columns(),
                        w.nnz(),
                        batch,
                        accumulate);
            }
        } catch (CudaException e) {
            throw failure(e, "spmmTransposed", "weight", weight, "dy", dy, "dx", dx);
        }
    }

    @Override
    protected void sddmmImpl(
            SparseMatrix weight, DenseMatrix dy, DenseMatrix x, DenseMatrix dValues, boolean accumulate) {
        DevicePattern<Long> w = pattern(weight);
        int batch = dy.rows();
        try {
            if (route.useCusparse(w.nnz(), batch)) {
                synchronized (cusparse) {
                    cusparse.sddmm(w, a(dy), a(x), a(dValues), batch, accumulate);
                }
            } else {
                sampledDots(
                        w.buffer(DevicePatternArrays.ENTRY_ROWS),
                        w.buffer(DevicePatternArrays.COLUMN_INDICES),
                        new Strided<>(a(dy), batch, 1),
                        new Strided<>(a(x), batch, 1),
                        batch,
                        a(dValues),
                        w.nnz(),
                        accumulate);
            }
        } catch (CudaException e) {
            throw failure(e, "sddmm", "weight", weight, "dy", dy, "x", x, "dValues", dValues);
        }
    }

    /** {@code sl_sddmm_groups}, with {@link LaunchConfig#sddmmGroupLanes} lanes per entry; nothing for no entries. */
    @Override
    protected void sampledDots(
            Long entryRows,
            Long entryColumns,
            Strided<Long> a,
            Strided<Long> b,
            int length,
            Long out,
            int nnz,
            boolean accumulate) {
        if (nnz == 0) {
            return;
        }
        launch(
                "sampledDots",
                LaunchConfig.sddmm(nnz, length),
                sampledDotsArgs(Kernel.SDDMM_GROUPS, entryRows, entryColumns, a, b, length, out, nnz)
                        .integer(LaunchConfig.sddmmGroupLanes(length))
                        .flag(accumulate));
    }

    // ---- sparse input -------------------------------------------------------------------

    @Override
    protected Kernel signature(SparseInputKernel kernel) {
        return switch (kernel) {
            case LINES_DENSE -> Kernel.SPARSE_LINES_DENSE;
            case ROWS_THROUGH_COLUMNS -> Kernel.SPARSE_ROWS_THROUGH_COLUMNS;
            case COLUMN_DOTS -> Kernel.SPARSE_COLUMN_DOTS;
        };
    }

    /** {@link LaunchConfig#sparseInput}: a thread per work-item. */
    @Override
    protected void launchSparseInput(KernelArgs<Long> args, long workItems) {
        launch("sparse input", LaunchConfig.sparseInput(workItems), args);
    }

    // ---- dense --------------------------------------------------------------------------

    @Override
    protected void gemmImpl(
            DenseMatrix a, boolean transposeA, DenseMatrix b, boolean transposeB, DenseMatrix c, boolean accumulate) {
        int m = c.rows();
        int n = c.columns();
        int k = transposeA ? a.rows() : a.columns();
        if (n == 0) {
            return;
        }
        try {
            launch(
                    "gemm",
                    LaunchConfig.gemm(m, n),
                    args(Kernel.GEMM_TILED)
                            .buffer(a(a))
                            .integer(a.rows())
                            .flag(transposeA)
                            .buffer(a(b))
                            .integer(b.rows())
                            .flag(transposeB)
                            .buffer(a(c))
                            .integer(m)
                            .integer(n)
                            .integer(k)
                            .flag(accumulate));
        } catch (CudaException e) {
            throw failure(e, "gemm", "a", a, "transposeA", transposeA, "b", b, "transposeB", transposeB, "c", c);
        }
    }

    @Override
    protected void addRowVectorImpl(DenseMatrix y, DenseMatrix row) {
        try {
            elementwise(
                    "addRowVector",
                    args(Kernel.ADD_ROW_VECTOR)
                            .buffer(a(y))
                            .buffer(a(row))
                            .integer(y.rows())
                            .integer(n(y)),
                    y.size());
        } catch (CudaException e) {
            throw failure(e, "addRowVector", "y", y, "row", row);
        }
    }

    @Override
    protected void columnSumsImpl(DenseMatrix x, DenseMatrix sums, boolean accumulate) {
        if (x.columns() == 0) {
            return;
        }
        try {
            launch(
                    "columnSums",
                    LaunchConfig.perColumn(x.columns()),
                    args(Kernel.COLUMN_SUMS)
                            .buffer(a(x))
                            .buffer(a(sums))
                            .integer(x.rows())
                            .integer(x.columns())
                            .flag(accumulate));
        } catch (CudaException e) {
            throw failure(e, "columnSums", "x", x, "sums", sums);
        }
    }

    @Override
    protected void activateImpl(Activation function, DenseMatrix x, DenseMatrix y) {
        String op = "activate " + function;
        try {
            elementwise(
                    op,
                    args(Kernel.ACTIVATE)
                            .integer(function.kernelCode())
                            .buffer(a(x))
                            .buffer(a(y))
                            .integer(n(x)),
                    x.size());
        } catch (CudaException e) {
            throw failure(e, op, "x", x, "y", y);
        }
    }

    @Override
    protected void activateBackwardImpl(
            Activation function, DenseMatrix x, DenseMatrix y, DenseMatrix dy, DenseMatrix dx, boolean accumulate) {
        String op = "activateBackward " + function;
        try {
            elementwise(
                    op,
                    args(Kernel.ACTIVATE_BACKWARD)
                            .integer(function.kernelCode())
                            .buffer(a(x))
                            .buffer(a(y))
                            .buffer(a(dy))
                            .buffer(a(dx))
                            .integer(n(x))
                            .flag(accumulate),
                    x.size());
        } catch (CudaException e) {
            throw failure(e, op, "x", x, "y", y, "dy", dy, "dx", dx);
        }
    }

    @Override
    protected void layerNormImpl(
            DenseMatrix x,
            DenseMatrix gamma,
            DenseMatrix beta,
            float epsilon,
            DenseMatrix y,
            DenseMatrix mean,
            DenseMatrix rstd) {
        int rows = x.rows();
        try {
            launch(
                    "layerNorm",
                    LaunchConfig.perRow(rows),
                    args(Kernel.LAYER_NORM_ROWS)
                            .buffer(a(x))
                            .buffer(a(gamma))
                            .buffer(a(beta))
                            .real(epsilon)
                            .buffer(a(y))
                            .buffer(a(mean))
                            .buffer(a(rstd))
                            .integer(rows)
                            .integer(x.columns())
                            .integer(LaunchConfig.rowLanes(rows)));
        } catch (CudaException e) {
            throw failure(e, "layerNorm", "x", x, "gamma", gamma, "y", y);
        }
    }

    @Override
    protected void layerNormBackwardImpl(
            DenseMatrix x,
            DenseMatrix gamma,
            DenseMatrix mean,
            DenseMatrix rstd,
            DenseMatrix dy,
            DenseMatrix dx,
            DenseMatrix dGamma,
            DenseMatrix dBeta) {
        int rows = x.rows();
        int features = x.columns();
        try {
            if (dx != null) {
                launch(
                        "layerNormBackward",
                        LaunchConfig.perRow(rows),
                        args(Kernel.LAYER_NORM_BACKWARD_ROWS)
                                .buffer(a(x))
                                .buffer(a(gamma))
                                .buffer(a(mean))
                                .buffer(a(rstd))
                                .buffer(a(dy))
                                .buffer(a(dx))
                                .integer(rows)
                                .integer(features)
                                .integer(LaunchConfig.rowLanes(rows)));
            }
            if ((dGamma != null || dBeta != null) && features > 0) {
                launch(
                        "layerNormBackward",
                        LaunchConfig.perColumn(features),
                        args(Kernel.LAYER_NORM_PARAMETER_GRADS)
                                .buffer(a(x))
                                .buffer(a(mean))
                                .buffer(a(rstd))
                                .buffer(a(dy))
                                .buffer(dGamma != null ? a(dGamma) : 0)
                                .flag(dGamma != null)
                                .buffer(dBeta != null ? a(dBeta) : 0)
                                .flag(dBeta != null)
                                .integer(rows)
                                .integer(features));
            }
        } catch (CudaException e) {
            throw failure(e, "layerNormBackward", "x", x, "dy", dy, "dx", dx, "dGamma", dGamma, "dBeta", dBeta);
        }
    }

    @Override
    protected void softmaxCrossEntropyImpl(
            DenseMatrix logits, int[] labels, DenseMatrix probabilities, DenseMatrix loss) {
        int rows = logits.rows();
        try {
            DeviceBufferPool.Lease<Long> deviceLabels = uploadInts(labels, "labels");
            DeviceBufferPool.Lease<Long> rowLoss = null;
            try {
                rowLoss = lease(4L * rows, "row losses");
                launch(
                        "softmaxCrossEntropy",
                        LaunchConfig.perRow(rows),
                        args(Kernel.SOFTMAX_XENT_ROWS)
                                .buffer(a(logits))
                                .buffer(deviceLabels.buffer())
                                .buffer(a(probabilities))
                                .buffer(rowLoss.buffer())
                                .integer(rows)
                                .integer(logits.columns())
                                .integer(LaunchConfig.rowLanes(rows)));
                launch(
                        "softmaxCrossEntropy",
                        LaunchConfig.singleBlock(),
                        args(Kernel.SUM_SCALED)
                                .buffer(rowLoss.buffer())
                                .integer(rows)
                                .real(1f / rows)
                                .buffer(a(loss)));
            } finally {
                release(deviceLabels);
                if (rowLoss != null) {
                    release(rowLoss);
                }
            }
        } catch (CudaException e) {
            throw failure(e, "softmaxCrossEntropy", "logits", logits, "probabilities", probabilities);
        }
    }

    @Override
    protected void softmaxCrossEntropyBackwardImpl(
            DenseMatrix probabilities, int[] labels, DenseMatrix dLoss, DenseMatrix dLogits, boolean accumulate) {
        try {
            DeviceBufferPool.Lease<Long> deviceLabels = uploadInts(labels, "labels");
            try {
                elementwise(
                        "softmaxCrossEntropyBackward",
                        args(Kernel.SOFTMAX_XENT_BACKWARD)
                                .buffer(a(probabilities))
                                .buffer(deviceLabels.buffer())
                                .buffer(a(dLoss))
                                .buffer(a(dLogits))
                                .integer(probabilities.rows())
                                .integer(n(probabilities))
                                .flag(accumulate),
                        probabilities.size());
            } finally {
                release(deviceLabels);
            }
        } catch (CudaException e) {
            throw failure(e, "softmaxCrossEntropyBackward", "probabilities", probabilities, "dLogits", dLogits);
        }
    }

    @Override
    protected void squaredErrorImpl(DenseMatrix prediction, DenseMatrix target, float scale, DenseMatrix loss) {
        long n = prediction.size();
        int groups = LaunchConfig.squaredErrorPartials(n);
        try {
            DeviceBufferPool.Lease<Long> partials = lease(4L * groups, "partial sums");
            try {
                launch(
                        "squaredError",
                        LaunchConfig.linear(groups, LaunchConfig.THREADS),
                        args(Kernel.SQUARED_ERROR_PARTIALS)
                                .buffer(a(prediction))
                                .buffer(a(target))
                                .buffer(partials.buffer())
                                .integer((int) n));
                launch(
                        "squaredError",
                        LaunchConfig.singleBlock(),
                        args(Kernel.SUM_SCALED)
                                .buffer(partials.buffer())
                                .integer(groups)
                                .real(scale)
                                .buffer(a(loss)));
            } finally {
                release(partials);
            }
        } catch (CudaException e) {
            throw failure(e, "squaredError", "prediction", prediction, "target", target);
        }
    }

    @Override
    protected void squaredErrorBackwardImpl(
            DenseMatrix prediction,
            DenseMatrix target,
            float scale,
            DenseMatrix dLoss,
            DenseMatrix dPrediction,
            boolean accumulate) {
        try {
            elementwise(
                    "squaredErrorBackward",
                    args(Kernel.SQUARED_ERROR_BACKWARD)
                            .buffer(a(prediction))
                            .buffer(a(target))
                            .real(scale)
                            .buffer(a(dLoss))
                            .buffer(a(dPrediction))
                            .integer(n(prediction))
                            .flag(accumulate),
                    prediction.size());
        } catch (CudaException e) {
            throw failure(e, "squaredErrorBackward", "prediction", prediction, "dPrediction", dPrediction);
        }
    }

    @Override
    protected void axpyImpl(float alpha, DenseMatrix x, DenseMatrix y) {
        try {
            elementwise(
                    "axpy",
                    args(Kernel.AXPY).real(alpha).buffer(a(x)).buffer(a(y)).integer(n(x)),
                    x.size());
        } catch (CudaException e) {
            throw failure(e, "axpy", "x", x, "y", y);
        }
    }

    @Override
    protected void scaleImpl(DenseMatrix x, float alpha) {
        try {
            elementwise("scale", args(Kernel.SCALE).buffer(a(x)).real(alpha).integer(n(x)), x.size());
        } catch (CudaException e) {
            throw failure(e, "scale", "x", x);
        }
    }

    @Override
    protected void dropoutImpl(DenseMatrix x, DenseMatrix y, long key, int threshold, float scale, boolean accumulate) {
        try {
            elementwise(
                    "dropout",
                    args(Kernel.DROPOUT)
                            .buffer(a(x))
                            .buffer(a(y))
                            .integer(x.rows())
                            .integer(x.columns())
                            .integer((int) key)
                            .integer((int) (key >>> 32))
                            .integer(threshold)
                            .real(scale)
                            .flag(accumulate)
                            .integer(n(x)),
                    x.size());
        } catch (CudaException e) {
            throw failure(e, "dropout", "x", x);
        }
    }

    @Override
    protected int[] argmaxRowsImpl(DenseMatrix matrix) {
        int rows = matrix.rows();
        try {
            DeviceBufferPool.Lease<Long> result = lease(4L * rows, "argmaxRows result");
            try {
                launch(
                        "argmaxRows",
                        LaunchConfig.perRow(rows),
                        args(Kernel.ARGMAX_ROWS)
                                .buffer(a(matrix))
                                .buffer(result.buffer())
                                .integer(rows)
                                .integer(matrix.columns())
                                .integer(LaunchConfig.rowLanes(rows)));
                int[] columns = new int[rows];
                device.download(result.buffer(), columns);
                return columns;
            } finally {
                release(result);
            }
        } catch (CudaException e) {
            throw failure(e, "argmaxRows", "matrix", matrix);
        }
    }

    // ---- activation sparsity ------------------------------------------------------------

    @Override
    protected void kWinnersImpl(DenseMatrix x, DenseMatrix boost, int k, DenseMatrix y, DenseMatrix mask) {
        if (x.columns() == 0) {
            return;
        }
        try {
            launch(
                    "kWinners",
                    LaunchConfig.kWinners(x.rows()),
                    args(Kernel.K_WINNERS_ROWS)
                            .buffer(a(x))
                            .buffer(a(boost))
                            .integer(k)
                            .buffer(a(y))
                            .buffer(a(mask))
                            .integer(x.rows())
                            .integer(x.columns()));
        } catch (CudaException e) {
            throw failure(e, "kWinners", "x", x, "k", k);
        }
    }

    @Override
    protected void boostFactorsImpl(DenseMatrix dutyCycle, float density, float strength, DenseMatrix boost) {
        try {
            elementwise(
                    "boostFactors",
                    args(Kernel.BOOST_FACTORS)
                            .buffer(a(dutyCycle))
                            .real(density)
                            .real(strength)
                            .buffer(a(boost))
                            .integer(n(boost)),
                    boost.size());
        } catch (CudaException e) {
            throw failure(e, "boostFactors", "dutyCycle", dutyCycle, "boost", boost);
        }
    }

    // ---- rewiring -----------------------------------------------------------------------

    /**
     * RigL's grow step on the device. For each block of rows ({@link DeviceTopK}) the device computes every
     * unconnected position's magnitude (never storing the gradient) and selects the block's best
     * {@code min(k, candidates)} by a radix select (see {@code rigl.cu}), skipping positions that cannot beat the
     * running top k's threshold; the host reads those few candidates. Memory is O(block + k) on the device.
     */
    @Override
    protected DeviceTopK.BlockScan openGrowScan(
            DenseMatrix dy, DenseMatrix x, DevicePattern<Long> exclude, int blockRows, int capacity) {
        int maxElements = blockRows * exclude.columns();
        List<DeviceBufferPool.Lease<Long>> leases = new ArrayList<>(4);
        try {
            leases.add(lease(4L * maxElements, "topKAbsDenseGradient keys"));
            leases.add(lease(8L * 8, "topKAbsDenseGradient selection state"));
            leases.add(lease(4L * 256, "topKAbsDenseGradient histogram"));
            leases.add(lease(8L * Math.min(capacity, maxElements), "topKAbsDenseGradient candidates"));
            device.fill32(leases.get(2).buffer(), 0, 256);
        } catch (RuntimeException e) {
            leases.forEach(this::release);
            throw e;
        }
        return new GrowScan(dy, x, exclude, capacity, leases);
    }

    /** The device's part of the grow step: keys, radix select and compaction of one block at a time. */
    private final class GrowScan implements DeviceTopK.BlockScan {
        private static final String OP = "topKAbsDenseGradient";
        private final DenseMatrix dy;
        private final DenseMatrix x;
        private final DevicePattern<Long> pattern;
        private final int capacity;
        private final List<DeviceBufferPool.Lease<Long>> leases;
        private final long keys;
        private final long state;
        private final long histogram;
        private final long candidates;
        private final long[] words = new long[8];

        GrowScan(
                DenseMatrix dy,
                DenseMatrix x,
                DevicePattern<Long> pattern,
                int capacity,
                List<DeviceBufferPool.Lease<Long>> leases) {
            this.dy = dy;
            this.x = x;
            this.pattern = pattern;
            this.capacity = capacity;
            this.leases = leases;
            this.keys = leases.get(0).buffer();
            this.state = leases.get(1).buffer();
            this.histogram = leases.get(2).buffer();
            this.candidates = leases.get(3).buffer();
        }

        @Override
        public int[] candidates(int row0, int elements, boolean full, int thresholdRank) {
            device.fill32(state, 0, 16);
            launch(
                    OP,
                    LaunchConfig.growKeys(elements),
                    args(Kernel.GROW_KEYS)
                            .buffer(a(dy))
                            .buffer(a(x))
                            .buffer(pattern.buffer(DevicePatternArrays.ROW_POINTERS))
                            .buffer(pattern.buffer(DevicePatternArrays.COLUMN_INDICES))
                            .integer(dy.rows())
                            .integer(pattern.columns())
                            .integer(row0)
                            .integer(elements)
                            .flag(full)
                            .integer(thresholdRank)
                            .buffer(keys)
                            .buffer(state));
            launch(
                    OP,
                    LaunchConfig.singleThread(),
                    args(Kernel.GROW_SELECT_INIT).buffer(state).integer(capacity));
            LaunchConfig scan = LaunchConfig.growScan(elements);
            for (int shift = 56; shift >= 0; shift -= 8) {
                launch(
                        OP,
                        scan,
                        args(Kernel.GROW_HISTOGRAM)
                                .buffer(keys)
                                .integer(elements)
                                .buffer(state)
                                .buffer(histogram)
                                .integer(shift));
                launch(
                        OP,
                        LaunchConfig.singleThread(),
                        args(Kernel.GROW_CHOOSE).buffer(state).buffer(histogram).integer(shift));
            }
            launch(
                    OP,
                    scan,
                    args(Kernel.GROW_COMPACT)
                            .buffer(keys)
                            .integer(elements)
                            .buffer(state)
                            .buffer(candidates));
            device.download(state, words);
            int[] found = new int[2 * (int) words[4]];
            if (found.length > 0) {
                device.download(candidates, found);
            }
            return found;
        }

        @Override
        public void close() {
            leases.forEach(CudaBackend.this::release);
        }
    }

    @Override
    protected void gatherImpl(DenseMatrix source, int[] sourcePositions, DenseMatrix target) {
        if (sourcePositions.length == 0) {
            return;
        }
        try {
            DeviceBufferPool.Lease<Long> positions = uploadInts(sourcePositions, "gather positions");
            try {
                elementwise(
                        "gather",
                        args(Kernel.GATHER)
                                .buffer(a(source))
                                .buffer(positions.buffer())
                                .buffer(a(target))
                                .integer(sourcePositions.length),
                        sourcePositions.length);
            } finally {
                release(positions);
            }
        } catch (CudaException e) {
            throw failure(e, "gather", "source", source, "target", target);
        }
    }

    // ---- optimizers ---------------------------------------------------------------------

    @Override
    protected void sgdStepImpl(
            DenseMatrix parameter, DenseMatrix gradient, DenseMatrix velocity, SgdSettings settings) {
        try {
            elementwise(
                    "sgdStep",
                    args(Kernel.SGD_STEP)
                            .buffer(a(parameter))
                            .buffer(a(gradient))
                            .buffer(velocity != null ? a(velocity) : 0)
                            .flag(velocity != null)
                            .real(settings.learningRate())
                            .real(settings.momentum())
                            .real(settings.weightDecay())
                            .flag(settings.nesterov())
                            .integer(n(parameter)),
                    parameter.size());
        } catch (CudaException e) {
            throw failure(e, "sgdStep", "parameter", parameter);
        }
    }

    @Override
    protected void adamStepImpl(
            DenseMatrix parameter,
            DenseMatrix gradient,
            DenseMatrix firstMoment,
            DenseMatrix secondMoment,
            AdamSettings settings,
            long step) {
        float stepSize = (float) (settings.learningRate() / (1 - Math.pow(settings.beta1(), step)));
        float rootCorrection2 = (float) Math.sqrt(1 - Math.pow(settings.beta2(), step));
        try {
            elementwise(
                    "adamStep",
                    args(Kernel.ADAM_STEP)
                            .buffer(a(parameter))
                            .buffer(a(gradient))
                            .buffer(a(firstMoment))
                            .buffer(a(secondMoment))
                            .real(settings.beta1())
                            .real(settings.beta2())
                            .real(settings.epsilon())
                            .real(settings.weightDecay())
                            .real(stepSize)
                            .real(rootCorrection2)
                            .integer(n(parameter)),
                    parameter.size());
        } catch (CudaException e) {
            throw failure(e, "adamStep", "parameter", parameter, "step", step);
        }
    }

    @Override
    protected void adagradStepImpl(
            DenseMatrix parameter, DenseMatrix gradient, DenseMatrix sum, AdagradSettings settings, long step) {
        try {
            elementwise(
                    "adagradStep",
                    args(Kernel.ADAGRAD_STEP)
                            .buffer(a(parameter))
                            .buffer(a(gradient))
                            .buffer(a(sum))
                            .real(settings.weightDecay())
                            .real(settings.epsilon())
                            .real(settings.stepLearningRate(step))
                            .integer(n(parameter)),
                    parameter.size());
        } catch (CudaException e) {
            throw failure(e, "adagradStep", "parameter", parameter, "step", step);
        }
    }

    /** The last operations queued, for the message of an asynchronous failure. */
    private static final class RecentOperations {
        private static final int SIZE = 8;
        private final String[] operations = new String[SIZE];
        private final Kernel[] kernels = new Kernel[SIZE];
        private long next;

        synchronized void add(String operation, Kernel kernel) {
            int slot = (int) (next++ % SIZE);
            operations[slot] = operation;
            kernels[slot] = kernel;
        }

        synchronized String describe() {
            StringBuilder text = new StringBuilder("[");
            for (long i = Math.max(0, next - SIZE); i < next; i++) {
                int slot = (int) (i % SIZE);
                if (text.length() > 1) {
                    text.append(", ");
                }
                text.append(operations[slot])
                        .append(" (")
                        .append(kernels[slot].symbol())
                        .append(')');
            }
            return text.append(']').toString();
        }
    }
}
