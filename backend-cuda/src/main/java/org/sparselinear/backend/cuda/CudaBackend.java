package org.sparselinear.backend.cuda;

import org.sparselinear.api.DevicePatternArrays;
import org.sparselinear.api.DeviceBufferPool;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.sparselinear.api.AbstractBackend;
import org.sparselinear.api.Activation;
import org.sparselinear.api.AdamSettings;
import org.sparselinear.api.BackendException;
import org.sparselinear.api.Connectivity;
import org.sparselinear.api.DenseMatrix;
import org.sparselinear.api.RunningTopK;
import org.sparselinear.api.SgdSettings;
import org.sparselinear.api.SparseMatrix;

/**
 * The CUDA backend: every operation of {@link org.sparselinear.api.Backend} runs as one of the backend's own
 * CUDA kernels ({@code src/main/cuda}, shipped as PTX and loaded through the driver API), on one GPU and one
 * stream; the sparse products go to cuSPARSE instead where {@code libcusparse.so.12} loads and the product is
 * large ({@link SparseRoute}).
 *
 * <p>Dense matrices are feature-major (element {@code (r, c)} at {@code c * rows + r}), like every backend;
 * {@link #upload} and {@link #download} change the layout on the device (a tiled transposition through a pooled
 * staging buffer). Patterns are kept as CSR, the row of every entry and the CSC transpose map
 * ({@link CudaSparseMatrix}), 16 bytes per connection.
 *
 * <p>Device memory is pooled by size class ({@link DeviceBufferPool<Long>}): closing a matrix or its memory scope returns its
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
public final class CudaBackend extends AbstractBackend {

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

    /** RigL's grow step scans the dense gradient in blocks of whole rows of at most this many positions. */
    static final int GROW_BLOCK_ELEMENTS = 1 << 20;

    private final CudaDevice device;
    private final DeviceBufferPool<Long> pool;
    private final CusparseProducts cusparse;
    private final SparseRoute route;
    private final boolean synchronous;
    private final long poolLimit;
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
        this(openDevice(device), SparseRoute.Mode.parse(System.getProperty(CUSPARSE_PROPERTY)),
                Boolean.getBoolean(SYNCHRONOUS_PROPERTY), poolLimit(System.getProperty(POOL_PROPERTY)));
    }

    /** Checks the properties (so that a bad one fails before the device is opened), then opens the device. */
    private static DriverDevice openDevice(String spec) {
        SparseRoute.Mode.parse(System.getProperty(CUSPARSE_PROPERTY));
        poolLimit(System.getProperty(POOL_PROPERTY));
        return DriverDevice.open(spec);
    }

    /**
     * A backend on {@code device}: cuSPARSE is opened when the device is a {@link DriverDevice}, {@code mode} is not
     * {@code never} and its library loads. A negative {@code poolLimit} keeps up to a quarter of device memory.
     */
    CudaBackend(CudaDevice device, SparseRoute.Mode mode, boolean synchronous, long poolLimit) {
        this.device = device;
        this.synchronous = synchronous;
        this.poolLimit = poolLimit >= 0 ? poolLimit : device.info().totalMemory() / 4;
        try {
            this.pool = new DeviceBufferPool<>(new DeviceBufferPool.Allocator<Long>() {
                @Override
                public Long allocate(long bytes) {
                    return device.allocate(bytes);
                }

                @Override
                public void release(Long address) {
                    device.free(address);
                }
            }, this.poolLimit);
            this.cusparse = mode != SparseRoute.Mode.NEVER && device instanceof DriverDevice driver
                    ? CusparseProducts.openOrNull(driver, pool) : null;
            this.route = new SparseRoute(mode, cusparse != null);
        } catch (RuntimeException | LinkageError e) {
            device.close();
            throw e;
        }
    }

    static long poolLimit(String configured) {
        if (configured == null || configured.isBlank()) {
            return -1;
        }
        try {
            long limit = Long.parseLong(configured.trim());
            if (limit < 0) {
                throw new NumberFormatException("negative");
            }
            return limit;
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("-D" + POOL_PROPERTY + " must be a number of bytes >= 0, got '"
                    + configured + "'", e);
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
        return String.format(Locale.ROOT, "CUDA on %s, driver CUDA %s; %s; %s; one stream, feature-major layout, "
                        + "pooled device memory (free buffers up to %s); on the host: labels and gather positions "
                        + "copied per call, argmaxRows' result, and topKAbsDenseGradient's merge of each row block's "
                        + "device-selected candidates into the top k", info.line(),
                CudaDeviceInfo.cudaVersion(info.driverVersion()), device.kernelSource(),
                route.describe(cusparse == null ? "" : cusparse.version()), CudaDeviceInfo.gibibytes(poolLimit));
    }

    /** The device. */
    public CudaDeviceInfo deviceInfo() {
        return device.info();
    }

    /** Whether the sparse products can use cuSPARSE (its library loaded and {@value #CUSPARSE_PROPERTY} is not never). */
    public boolean usesCusparse() {
        return route.cusparseLoaded() && route.mode() != SparseRoute.Mode.NEVER;
    }

    /**
     * The device's bytes for a pattern: CSR, the row of every entry and the CSC transpose map (16 bytes per
     * connection plus the two pointer arrays), each rounded up to its pool size class.
     */
    @Override
    public long patternBytes(int rows, int columns, long nnz) {
        return DeviceBufferPool.sizeClass(4L * (rows + 1)) + DeviceBufferPool.sizeClass(4L * (columns + 1))
                + 4 * DeviceBufferPool.sizeClass(4L * nnz);
    }

    /** Free device memory plus the pool's free buffers (which an allocation releases when it needs them). */
    @Override
    public long availableBytes() {
        try {
            return device.freeMemory() + pool.bytesPooled();
        } catch (CudaException e) {
            return Math.max(0, device.info().totalMemory() - pool.bytesInUse());
        }
    }

    /** The device buffer pool's usage: bytes in use and pooled, buffers created and reused. */
    public DeviceBufferPool.Usage memoryUsage() {
        return pool.usage();
    }

    /** Frees every pooled free buffer; matrices in use keep theirs. */
    public void releasePooledBuffers() {
        pool.trim();
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

    DeviceBufferPool<Long> pool() {
        return pool;
    }

    private void ensureOpen() {
        if (isClosed()) {
            throw new IllegalStateException("the CUDA backend was closed; its matrices are no longer usable");
        }
    }

    // ---- helpers ------------------------------------------------------------------------

    private static long a(DenseMatrix matrix) {
        return ((CudaDenseMatrix) matrix).address();
    }

    private static CudaSparseMatrix pattern(SparseMatrix matrix) {
        return (CudaSparseMatrix) matrix;
    }

    private static int n(DenseMatrix matrix) {
        return (int) matrix.size();
    }

    /** Checks and queues a launch; waits for it in synchronous mode. */
    private void launch(String op, LaunchConfig config, KernelArgs args) {
        args.check();
        recent.add(op, args.kernel());
        device.launch(config, args);
        if (synchronous) {
            device.synchronize();
        }
    }

    /** An element-wise launch over {@code n} elements; nothing for none. */
    private void elementwise(String op, KernelArgs args, long n) {
        if (n > 0) {
            launch(op, LaunchConfig.elementwise(n), args);
        }
    }

    /** Pooled device memory of at least {@code bytes}, or an exception that says how much there is. */
    private DeviceBufferPool.Lease<Long> lease(long bytes) {
        ensureOpen();
        try {
            return pool.acquire(bytes);
        } catch (CudaException e) {
            if (e.status() != CudaStatus.OUT_OF_MEMORY) {
                throw e;
            }
            long free;
            try {
                free = device.freeMemory();
            } catch (CudaException ignored) {
                free = -1;
            }
            throw new CudaException(String.format(Locale.ROOT, "device memory exhausted: %d bytes are needed, %s free "
                    + "on %s, %d held by this backend's open matrices and patterns; close matrices (or their "
                    + "MemoryScope) that are no longer needed, or use a smaller batch or layer", bytes,
                    free < 0 ? "unknown" : Long.toString(free), device.info().name(), pool.bytesInUse()), e.status());
        }
    }

    /** The exception for a failure of {@code op}: its operands' shapes, and for a sticky error the last operations. */
    private CudaException failure(CudaException e, String op, Object... operands) {
        StringBuilder context = new StringBuilder(op);
        if (operands.length > 0) {
            context.append(" (");
            for (int i = 0; i + 1 < operands.length; i += 2) {
                if (i > 0) {
                    context.append(", ");
                }
                context.append(operands[i]).append(' ').append(describe(operands[i + 1]));
            }
            context.append(')');
        }
        String advice = "";
        if (e.isSticky()) {
            advice = "; the CUDA context is now unusable: close this backend (Backends.get() then creates a new one)"
                    + (synchronous ? "" : "; the error may come from an earlier operation, as kernels run "
                    + "asynchronously; the last ones queued: " + recent.describe() + "; -D" + SYNCHRONOUS_PROPERTY
                    + "=true makes every operation wait, so that the failing one is named");
        }
        return new CudaException(context.toString(), e, advice);
    }

    private static String describe(Object operand) {
        if (operand instanceof DenseMatrix matrix) {
            return matrix.shapeString();
        }
        if (operand instanceof SparseMatrix pattern) {
            return pattern.rows() + " x " + pattern.columns() + " with nnz " + pattern.nnz();
        }
        return String.valueOf(operand);
    }

    // ---- memory -------------------------------------------------------------------------

    @Override
    protected DenseMatrix allocate(int rows, int columns) {
        long n = (long) rows * columns;
        DeviceBufferPool.Lease<Long> lease;
        try {
            lease = lease(4 * n);
        } catch (CudaException e) {
            throw failure(e, "zeros", "shape", "(" + rows + ", " + columns + ")");
        }
        try {
            if (n > 0) {
                device.fill32(lease.buffer(), 0, n);
            }
        } catch (CudaException e) {
            pool.release(lease);
            throw failure(e, "zeros", "shape", "(" + rows + ", " + columns + ")");
        }
        return new CudaDenseMatrix(this, rows, columns, lease);
    }

    @Override
    protected SparseMatrix buildPattern(Connectivity connectivity) {
        int[][] arrays = DevicePatternArrays.of(connectivity);
        List<DeviceBufferPool.Lease<Long>> leases = new ArrayList<>(arrays.length);
        try {
            for (int[] array : arrays) {
                DeviceBufferPool.Lease<Long> lease = lease(4L * array.length);
                leases.add(lease);
                if (array.length > 0) {
                    device.upload(lease.buffer(), array);
                }
            }
        } catch (CudaException e) {
            leases.forEach(pool::release);
            throw failure(e, "pattern", "connectivity", connectivity);
        }
        return new CudaSparseMatrix(this, connectivity, leases);
    }

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
            DeviceBufferPool.Lease<Long> staging = lease(4L * rowMajor.length);
            try {
                device.upload(staging.buffer(), rowMajor, 0, rowMajor.length);
                launch("upload", LaunchConfig.transpose(rows, columns), new KernelArgs(Kernel.TRANSPOSE)
                        .pointer(staging.buffer()).pointer(a(target)).integer(rows).integer(columns));
            } finally {
                pool.release(staging);
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
            DeviceBufferPool.Lease<Long> staging = lease(4L * rowMajor.length);
            try {
                launch("download", LaunchConfig.transpose(columns, rows), new KernelArgs(Kernel.TRANSPOSE)
                        .pointer(a(matrix)).pointer(staging.buffer()).integer(columns).integer(rows));
                device.download(staging.buffer(), rowMajor);
            } finally {
                pool.release(staging);
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
    private void gatherRows(String op, long pointers, long indices, long positions, long values, long in, long out,
                            int outputRows, long nnz, int batch, boolean accumulate) {
        if (LaunchConfig.useWarpRows(batch, outputRows, nnz)) {
            launch(op, LaunchConfig.spmmWarpRows(outputRows), new KernelArgs(Kernel.SPMM_WARP_ROWS)
                    .pointer(pointers).pointer(indices).pointer(positions).flag(positions != 0).pointer(values)
                    .pointer(in).pointer(out).integer(outputRows).flag(accumulate));
        } else {
            launch(op, LaunchConfig.spmmBlockRows(outputRows, batch), new KernelArgs(Kernel.SPMM_BLOCK_ROWS)
                    .pointer(pointers).pointer(indices).pointer(positions).flag(positions != 0).pointer(values)
                    .pointer(in).pointer(out).integer(batch).integer(LaunchConfig.spmmBatchLanes(batch))
                    .flag(accumulate));
        }
    }

    @Override
    protected void spmmImpl(SparseMatrix weight, DenseMatrix values, DenseMatrix x, DenseMatrix y) {
        CudaSparseMatrix w = pattern(weight);
        int batch = x.rows();
        try {
            if (route.useCusparse(w.nnz(), batch)) {
                synchronized (cusparse) {
                    cusparse.spmm(w, a(values), a(x), a(y), batch);
                }
            } else {
                gatherRows("spmm", w.address(DevicePatternArrays.ROW_POINTERS),
                        w.address(DevicePatternArrays.COLUMN_INDICES), 0, a(values), a(x), a(y), w.rows(), w.nnz(), batch,
                        false);
            }
        } catch (CudaException e) {
            throw failure(e, "spmm", "weight", weight, "x", x, "y", y);
        }
    }

    @Override
    protected void spmmTransposedImpl(SparseMatrix weight, DenseMatrix values, DenseMatrix dy, DenseMatrix dx,
                                      boolean accumulate) {
        CudaSparseMatrix w = pattern(weight);
        int batch = dy.rows();
        try {
            if (route.useCusparse(w.nnz(), batch)) {
                synchronized (cusparse) {
                    cusparse.spmmTransposed(w, a(values), a(dy), a(dx), batch, accumulate);
                }
            } else {
                gatherRows("spmmTransposed", w.address(DevicePatternArrays.COLUMN_POINTERS),
                        w.address(DevicePatternArrays.ROW_INDICES), w.address(DevicePatternArrays.VALUE_POSITIONS),
                        a(values), a(dy), a(dx), w.columns(), w.nnz(), batch, accumulate);
            }
        } catch (CudaException e) {
            throw failure(e, "spmmTransposed", "weight", weight, "dy", dy, "dx", dx);
        }
    }

    @Override
    protected void sddmmImpl(SparseMatrix weight, DenseMatrix dy, DenseMatrix x, DenseMatrix dValues,
                             boolean accumulate) {
        CudaSparseMatrix w = pattern(weight);
        int batch = dy.rows();
        if (w.nnz() == 0) {
            return;
        }
        try {
            if (route.useCusparse(w.nnz(), batch)) {
                synchronized (cusparse) {
                    cusparse.sddmm(w, a(dy), a(x), a(dValues), batch, accumulate);
                }
            } else {
                launch("sddmm", LaunchConfig.sddmm(w.nnz(), batch), new KernelArgs(Kernel.SDDMM_GROUPS)
                        .pointer(w.address(DevicePatternArrays.ENTRY_ROWS))
                        .pointer(w.address(DevicePatternArrays.COLUMN_INDICES)).pointer(a(dy)).pointer(a(x))
                        .pointer(a(dValues)).integer(w.nnz()).integer(batch)
                        .integer(LaunchConfig.sddmmGroupLanes(batch)).flag(accumulate));
            }
        } catch (CudaException e) {
            throw failure(e, "sddmm", "weight", weight, "dy", dy, "x", x, "dValues", dValues);
        }
    }

    // ---- dense --------------------------------------------------------------------------

    @Override
    protected void gemmImpl(DenseMatrix a, boolean transposeA, DenseMatrix b, boolean transposeB, DenseMatrix c,
                            boolean accumulate) {
        int m = c.rows();
        int n = c.columns();
        int k = transposeA ? a.rows() : a.columns();
        if (n == 0) {
            return;
        }
        try {
            launch("gemm", LaunchConfig.gemm(m, n), new KernelArgs(Kernel.GEMM_TILED)
                    .pointer(a(a)).integer(a.rows()).flag(transposeA).pointer(a(b)).integer(b.rows()).flag(transposeB)
                    .pointer(a(c)).integer(m).integer(n).integer(k).flag(accumulate));
        } catch (CudaException e) {
            throw failure(e, "gemm", "a", a, "transposeA", transposeA, "b", b, "transposeB", transposeB, "c", c);
        }
    }

    @Override
    protected void addRowVectorImpl(DenseMatrix y, DenseMatrix row) {
        try {
            elementwise("addRowVector", new KernelArgs(Kernel.ADD_ROW_VECTOR).pointer(a(y)).pointer(a(row))
                    .integer(y.rows()).integer(n(y)), y.size());
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
            launch("columnSums", LaunchConfig.perColumn(x.columns()), new KernelArgs(Kernel.COLUMN_SUMS)
                    .pointer(a(x)).pointer(a(sums)).integer(x.rows()).integer(x.columns()).flag(accumulate));
        } catch (CudaException e) {
            throw failure(e, "columnSums", "x", x, "sums", sums);
        }
    }

    @Override
    protected void activateImpl(Activation function, DenseMatrix x, DenseMatrix y) {
        String op = "activate " + function;
        try {
            elementwise(op, new KernelArgs(Kernel.ACTIVATE).integer(function.kernelCode()).pointer(a(x)).pointer(a(y))
                    .integer(n(x)), x.size());
        } catch (CudaException e) {
            throw failure(e, op, "x", x, "y", y);
        }
    }

    @Override
    protected void activateBackwardImpl(Activation function, DenseMatrix x, DenseMatrix y, DenseMatrix dy,
                                        DenseMatrix dx, boolean accumulate) {
        String op = "activateBackward " + function;
        try {
            elementwise(op, new KernelArgs(Kernel.ACTIVATE_BACKWARD).integer(function.kernelCode()).pointer(a(x))
                    .pointer(a(y)).pointer(a(dy)).pointer(a(dx)).integer(n(x)).flag(accumulate), x.size());
        } catch (CudaException e) {
            throw failure(e, op, "x", x, "y", y, "dy", dy, "dx", dx);
        }
    }

    @Override
    protected void layerNormImpl(DenseMatrix x, DenseMatrix gamma, DenseMatrix beta, float epsilon, DenseMatrix y,
                                 DenseMatrix mean, DenseMatrix rstd) {
        int rows = x.rows();
        try {
            launch("layerNorm", LaunchConfig.perRow(rows), new KernelArgs(Kernel.LAYER_NORM_ROWS)
                    .pointer(a(x)).pointer(a(gamma)).pointer(a(beta)).real(epsilon).pointer(a(y)).pointer(a(mean))
                    .pointer(a(rstd)).integer(rows).integer(x.columns()).integer(LaunchConfig.rowLanes(rows)));
        } catch (CudaException e) {
            throw failure(e, "layerNorm", "x", x, "gamma", gamma, "y", y);
        }
    }

    @Override
    protected void layerNormBackwardImpl(DenseMatrix x, DenseMatrix gamma, DenseMatrix mean, DenseMatrix rstd,
                                         DenseMatrix dy, DenseMatrix dx, DenseMatrix dGamma, DenseMatrix dBeta) {
        int rows = x.rows();
        int features = x.columns();
        try {
            if (dx != null) {
                launch("layerNormBackward", LaunchConfig.perRow(rows), new KernelArgs(Kernel.LAYER_NORM_BACKWARD_ROWS)
                        .pointer(a(x)).pointer(a(gamma)).pointer(a(mean)).pointer(a(rstd)).pointer(a(dy))
                        .pointer(a(dx)).integer(rows).integer(features).integer(LaunchConfig.rowLanes(rows)));
            }
            if ((dGamma != null || dBeta != null) && features > 0) {
                launch("layerNormBackward", LaunchConfig.perColumn(features),
                        new KernelArgs(Kernel.LAYER_NORM_PARAMETER_GRADS)
                                .pointer(a(x)).pointer(a(mean)).pointer(a(rstd)).pointer(a(dy))
                                .pointer(dGamma != null ? a(dGamma) : 0).flag(dGamma != null)
                                .pointer(dBeta != null ? a(dBeta) : 0).flag(dBeta != null)
                                .integer(rows).integer(features));
            }
        } catch (CudaException e) {
            throw failure(e, "layerNormBackward", "x", x, "dy", dy, "dx", dx, "dGamma", dGamma, "dBeta", dBeta);
        }
    }

    /** The labels in a pooled device buffer (the caller releases it). */
    private DeviceBufferPool.Lease<Long> labels(int[] labels) {
        DeviceBufferPool.Lease<Long> lease = lease(4L * labels.length);
        try {
            device.upload(lease.buffer(), labels);
            return lease;
        } catch (RuntimeException e) {
            pool.release(lease);
            throw e;
        }
    }

    @Override
    protected void softmaxCrossEntropyImpl(DenseMatrix logits, int[] labels, DenseMatrix probabilities,
                                           DenseMatrix loss) {
        int rows = logits.rows();
        try {
            DeviceBufferPool.Lease<Long> deviceLabels = labels(labels);
            DeviceBufferPool.Lease<Long> rowLoss = null;
            try {
                rowLoss = lease(4L * rows);
                launch("softmaxCrossEntropy", LaunchConfig.perRow(rows), new KernelArgs(Kernel.SOFTMAX_XENT_ROWS)
                        .pointer(a(logits)).pointer(deviceLabels.buffer()).pointer(a(probabilities))
                        .pointer(rowLoss.buffer()).integer(rows).integer(logits.columns())
                        .integer(LaunchConfig.rowLanes(rows)));
                launch("softmaxCrossEntropy", LaunchConfig.singleBlock(), new KernelArgs(Kernel.SUM_SCALED)
                        .pointer(rowLoss.buffer()).integer(rows).real(1f / rows).pointer(a(loss)));
            } finally {
                pool.release(deviceLabels);
                if (rowLoss != null) {
                    pool.release(rowLoss);
                }
            }
        } catch (CudaException e) {
            throw failure(e, "softmaxCrossEntropy", "logits", logits, "probabilities", probabilities);
        }
    }

    @Override
    protected void softmaxCrossEntropyBackwardImpl(DenseMatrix probabilities, int[] labels, DenseMatrix dLoss,
                                                   DenseMatrix dLogits, boolean accumulate) {
        try {
            DeviceBufferPool.Lease<Long> deviceLabels = labels(labels);
            try {
                elementwise("softmaxCrossEntropyBackward", new KernelArgs(Kernel.SOFTMAX_XENT_BACKWARD)
                        .pointer(a(probabilities)).pointer(deviceLabels.buffer()).pointer(a(dLoss)).pointer(a(dLogits))
                        .integer(probabilities.rows()).integer(n(probabilities)).flag(accumulate), probabilities.size());
            } finally {
                pool.release(deviceLabels);
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
            DeviceBufferPool.Lease<Long> partials = lease(4L * groups);
            try {
                launch("squaredError", LaunchConfig.linear(groups, LaunchConfig.THREADS),
                        new KernelArgs(Kernel.SQUARED_ERROR_PARTIALS).pointer(a(prediction)).pointer(a(target))
                                .pointer(partials.buffer()).integer((int) n));
                launch("squaredError", LaunchConfig.singleBlock(), new KernelArgs(Kernel.SUM_SCALED)
                        .pointer(partials.buffer()).integer(groups).real(scale).pointer(a(loss)));
            } finally {
                pool.release(partials);
            }
        } catch (CudaException e) {
            throw failure(e, "squaredError", "prediction", prediction, "target", target);
        }
    }

    @Override
    protected void squaredErrorBackwardImpl(DenseMatrix prediction, DenseMatrix target, float scale, DenseMatrix dLoss,
                                            DenseMatrix dPrediction, boolean accumulate) {
        try {
            elementwise("squaredErrorBackward", new KernelArgs(Kernel.SQUARED_ERROR_BACKWARD)
                    .pointer(a(prediction)).pointer(a(target)).real(scale).pointer(a(dLoss)).pointer(a(dPrediction))
                    .integer(n(prediction)).flag(accumulate), prediction.size());
        } catch (CudaException e) {
            throw failure(e, "squaredErrorBackward", "prediction", prediction, "dPrediction", dPrediction);
        }
    }

    @Override
    protected void axpyImpl(float alpha, DenseMatrix x, DenseMatrix y) {
        try {
            elementwise("axpy", new KernelArgs(Kernel.AXPY).real(alpha).pointer(a(x)).pointer(a(y)).integer(n(x)),
                    x.size());
        } catch (CudaException e) {
            throw failure(e, "axpy", "x", x, "y", y);
        }
    }

    @Override
    protected void scaleImpl(DenseMatrix x, float alpha) {
        try {
            elementwise("scale", new KernelArgs(Kernel.SCALE).pointer(a(x)).real(alpha).integer(n(x)), x.size());
        } catch (CudaException e) {
            throw failure(e, "scale", "x", x);
        }
    }

    @Override
    protected int[] argmaxRowsImpl(DenseMatrix matrix) {
        int rows = matrix.rows();
        try {
            DeviceBufferPool.Lease<Long> result = lease(4L * rows);
            try {
                launch("argmaxRows", LaunchConfig.perRow(rows), new KernelArgs(Kernel.ARGMAX_ROWS)
                        .pointer(a(matrix)).pointer(result.buffer()).integer(rows).integer(matrix.columns())
                        .integer(LaunchConfig.rowLanes(rows)));
                int[] columns = new int[rows];
                device.download(result.buffer(), columns);
                return columns;
            } finally {
                pool.release(result);
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
            launch("kWinners", LaunchConfig.kWinners(x.rows()), new KernelArgs(Kernel.K_WINNERS_ROWS)
                    .pointer(a(x)).pointer(a(boost)).integer(k).pointer(a(y)).pointer(a(mask)).integer(x.rows())
                    .integer(x.columns()));
        } catch (CudaException e) {
            throw failure(e, "kWinners", "x", x, "k", k);
        }
    }

    @Override
    protected void boostFactorsImpl(DenseMatrix dutyCycle, float density, float strength, DenseMatrix boost) {
        try {
            elementwise("boostFactors", new KernelArgs(Kernel.BOOST_FACTORS).pointer(a(dutyCycle)).real(density)
                    .real(strength).pointer(a(boost)).integer(n(boost)), boost.size());
        } catch (CudaException e) {
            throw failure(e, "boostFactors", "dutyCycle", dutyCycle, "boost", boost);
        }
    }

    // ---- rewiring -----------------------------------------------------------------------

    /**
     * RigL's grow step. The dense gradient is scanned in blocks of whole rows of at most 2^20 positions; for each
     * block the device computes every unconnected position's magnitude (never storing the gradient) and selects
     * the block's best {@code min(k, candidates)} by a radix select (see {@code rigl.cu}), skipping positions that
     * cannot beat the running top k's threshold; the host reads those few candidates and merges them into the
     * running top k ({@link RunningTopK}), which orders the result. Memory is O(block + k) on the device and
     * O(k) on the host.
     */
    @Override
    protected int[][] topKAbsDenseGradientImpl(DenseMatrix dy, DenseMatrix x, SparseMatrix exclude, int k) {
        int out = exclude.rows();
        int in = exclude.columns();
        long empty = (long) out * in - exclude.nnz();
        int m = (int) Math.min(k, empty);
        if (m == 0) {
            return new int[][] {new int[0], new int[0]};
        }
        CudaSparseMatrix pattern = pattern(exclude);
        int batch = dy.rows();
        int blockRows = LaunchConfig.growBlockRows(out, in, GROW_BLOCK_ELEMENTS);
        int maxElements = blockRows * in;
        RunningTopK best = new RunningTopK(m);
        List<DeviceBufferPool.Lease<Long>> leases = new ArrayList<>();
        try {
            try {
                DeviceBufferPool.Lease<Long> keys = lease(4L * maxElements);
                leases.add(keys);
                DeviceBufferPool.Lease<Long> state = lease(8L * 8);
                leases.add(state);
                DeviceBufferPool.Lease<Long> histogram = lease(4L * 256);
                leases.add(histogram);
                DeviceBufferPool.Lease<Long> candidates = lease(8L * Math.min(m, maxElements));
                leases.add(candidates);
                device.fill32(histogram.buffer(), 0, 256);
                long[] words = new long[8];
                for (int row0 = 0; row0 < out; row0 += blockRows) {
                    int elements = Math.min(blockRows, out - row0) * in;
                    growBlock(dy, x, pattern, batch, in, row0, elements, best, m, keys, state, histogram, candidates,
                            words);
                }
            } finally {
                leases.forEach(pool::release);
            }
        } catch (CudaException e) {
            throw failure(e, "topKAbsDenseGradient", "dy", dy, "x", x, "exclude", exclude, "k", k);
        }
        long[] positions = best.drainBestFirst();
        int[] rows = new int[positions.length];
        int[] columns = new int[positions.length];
        for (int j = 0; j < positions.length; j++) {
            rows[j] = (int) (positions[j] / in);
            columns[j] = (int) (positions[j] % in);
        }
        return new int[][] {rows, columns};
    }

    private void growBlock(DenseMatrix dy, DenseMatrix x, CudaSparseMatrix pattern, int batch, int in, int row0,
                           int elements, RunningTopK best, int m, DeviceBufferPool.Lease<Long> keys, DeviceBufferPool.Lease<Long> state,
                           DeviceBufferPool.Lease<Long> histogram, DeviceBufferPool.Lease<Long> candidates, long[] words) {
        String op = "topKAbsDenseGradient";
        device.fill32(state.buffer(), 0, 16);
        boolean full = best.size() == m;
        launch(op, LaunchConfig.growKeys(elements), new KernelArgs(Kernel.GROW_KEYS)
                .pointer(a(dy)).pointer(a(x)).pointer(pattern.address(DevicePatternArrays.ROW_POINTERS))
                .pointer(pattern.address(DevicePatternArrays.COLUMN_INDICES)).integer(batch).integer(in).integer(row0)
                .integer(elements).flag(full).integer(best.thresholdRank()).pointer(keys.buffer())
                .pointer(state.buffer()));
        launch(op, LaunchConfig.singleThread(), new KernelArgs(Kernel.GROW_SELECT_INIT)
                .pointer(state.buffer()).integer(m));
        LaunchConfig scan = LaunchConfig.growScan(elements);
        for (int shift = 56; shift >= 0; shift -= 8) {
            launch(op, scan, new KernelArgs(Kernel.GROW_HISTOGRAM).pointer(keys.buffer()).integer(elements)
                    .pointer(state.buffer()).pointer(histogram.buffer()).integer(shift));
            launch(op, LaunchConfig.singleThread(), new KernelArgs(Kernel.GROW_CHOOSE).pointer(state.buffer())
                    .pointer(histogram.buffer()).integer(shift));
        }
        launch(op, scan, new KernelArgs(Kernel.GROW_COMPACT).pointer(keys.buffer()).integer(elements)
                .pointer(state.buffer()).pointer(candidates.buffer()));
        device.download(state.buffer(), words);
        int count = (int) words[4];
        if (count > 0) {
            int[] found = new int[2 * count];
            device.download(candidates.buffer(), found);
            long first = (long) row0 * in;
            for (int j = 0; j < found.length; j += 2) {
                best.offerRanked(found[j], first + found[j + 1]);
            }
        }
    }

    @Override
    protected void gatherImpl(DenseMatrix source, int[] sourcePositions, DenseMatrix target) {
        if (sourcePositions.length == 0) {
            return;
        }
        try {
            DeviceBufferPool.Lease<Long> positions = lease(4L * sourcePositions.length);
            try {
                device.upload(positions.buffer(), sourcePositions);
                elementwise("gather", new KernelArgs(Kernel.GATHER).pointer(a(source)).pointer(positions.buffer())
                        .pointer(a(target)).integer(sourcePositions.length), sourcePositions.length);
            } finally {
                pool.release(positions);
            }
        } catch (CudaException e) {
            throw failure(e, "gather", "source", source, "target", target);
        }
    }

    // ---- optimizers ---------------------------------------------------------------------

    @Override
    protected void sgdStepImpl(DenseMatrix parameter, DenseMatrix gradient, DenseMatrix velocity,
                               SgdSettings settings) {
        try {
            elementwise("sgdStep", new KernelArgs(Kernel.SGD_STEP).pointer(a(parameter)).pointer(a(gradient))
                    .pointer(velocity != null ? a(velocity) : 0).flag(velocity != null).real(settings.learningRate())
                    .real(settings.momentum()).real(settings.weightDecay()).flag(settings.nesterov())
                    .integer(n(parameter)), parameter.size());
        } catch (CudaException e) {
            throw failure(e, "sgdStep", "parameter", parameter);
        }
    }

    @Override
    protected void adamStepImpl(DenseMatrix parameter, DenseMatrix gradient, DenseMatrix firstMoment,
                                DenseMatrix secondMoment, AdamSettings settings, long step) {
        float stepSize = (float) (settings.learningRate() / (1 - Math.pow(settings.beta1(), step)));
        float rootCorrection2 = (float) Math.sqrt(1 - Math.pow(settings.beta2(), step));
        try {
            elementwise("adamStep", new KernelArgs(Kernel.ADAM_STEP).pointer(a(parameter)).pointer(a(gradient))
                    .pointer(a(firstMoment)).pointer(a(secondMoment)).real(settings.beta1()).real(settings.beta2())
                    .real(settings.epsilon()).real(settings.weightDecay()).real(stepSize).real(rootCorrection2)
                    .integer(n(parameter)), parameter.size());
        } catch (CudaException e) {
            throw failure(e, "adamStep", "parameter", parameter, "step", step);
        }
    }

    /**
     * Waits for the stream, then frees every device buffer (pooled or still held by a matrix), cuSPARSE's handle,
     * the kernels, the stream and the context; the matrices of this backend become unusable. Idempotent.
     */
    @Override
    public synchronized void close() {
        if (isClosed()) {
            return;
        }
        markClosed();
        try {
            device.synchronize();
        } catch (CudaException | IllegalStateException ignored) {
            // A sticky error already reported by the operation that met it; everything is released below.
        } finally {
            pool.close();
            if (cusparse != null) {
                cusparse.close();
            }
            device.close();
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
                text.append(operations[slot]).append(" (").append(kernels[slot].symbol()).append(')');
            }
            return text.append(']').toString();
        }
    }
}
