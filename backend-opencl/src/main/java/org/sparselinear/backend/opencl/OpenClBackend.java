package org.sparselinear.backend.opencl;

import org.sparselinear.api.DevicePatternArrays;
import org.sparselinear.api.DeviceBufferPool;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.jocl.cl_mem;
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
 * The OpenCL backend: every operation of {@link org.sparselinear.api.Backend} runs as an
 * OpenCL C 1.2 kernel on one device, through JOCL, on one in-order command queue.
 *
 * <p>Dense matrices are stored feature-major (element {@code (r, c)} at {@code c * rows + r}),
 * like the CPU backend; {@link #upload} and {@link #download} transpose on the host. Patterns are
 * kept as CSR, the row of every entry, and the CSC transpose map (see {@link OpenClSparseMatrix}).
 * The kernels are compiled once, when the backend is created, and released by {@link #close()}.
 *
 * <p>Device memory is pooled by size class ({@link DeviceBufferPool}): closing a matrix (or its memory
 * scope) returns its buffer for reuse, so a training step allocates nothing once the first steps
 * have filled the pool. {@link #memoryUsage()} shows it.
 * Free buffers beyond {@value #POOL_PROPERTY} bytes (default a quarter of the device's
 * memory) are released.
 *
 * <p>What touches the host: upload and download (with their transposition); the labels of the
 * softmax losses and the positions of {@link #gather}, written per call into a pooled device
 * buffer; the result of {@link #argmaxRows}, read back; and {@link #topKAbsDenseGradient}, whose
 * device scan sends back only the candidates that beat the running top k, which the host keeps.
 * Losses stay on the device, in their {@code (1, 1)} matrix. Every other call only queues kernels
 * and returns.
 *
 * <p>The device is chosen by {@value #DEVICE_PROPERTY}: an index as {@link #describeDevices()}
 * lists them, or part of a platform or device name; unset, the first GPU, else the first device.
 * Thread-safe: operations may come from several threads, on distinct output matrices.
 */
public final class OpenClBackend extends AbstractBackend {

    /** The backend's name. */
    public static final String NAME = "opencl";

    /** System property choosing the device: an index, or part of a platform or device name. */
    public static final String DEVICE_PROPERTY = DeviceSelector.PROPERTY;

    /** System property bounding the bytes of free buffers the pool keeps (default: a quarter of device memory). */
    public static final String POOL_PROPERTY = "sparselinear.opencl.poolBytes";

    /** Below this batch size the weight gradient uses one work-item per entry, from it on 32 lanes per entry. */
    private static final int SDDMM_LANES_FROM_BATCH = 256;

    /** At most this many rows share one work-group of the per-row kernels. */
    private static final int MAX_ROW_LANES = 32;

    /** At most this many work-groups produce partial sums of the squared error. */
    private static final int MAX_PARTIALS = 64;

    /** GEMM: edge of the tile of c a work-group computes. */
    private static final int GEMM_TILE = 64;

    /** GEMM: depth of the slices of k staged in local memory. */
    private static final int GEMM_DEPTH = 16;

    /** GEMM: each work-item computes a block of this many rows by this many columns (8 x 8 work-items per group). */
    private static final int GEMM_WORK_PER_ITEM = 8;

    /** GEMM: work-items along each side of a work-group. */
    private static final int GEMM_GROUP_EDGE = GEMM_TILE / GEMM_WORK_PER_ITEM;

    /** RigL's grow step scans the dense gradient in blocks of whole rows of at most this many positions. */
    static final int GROW_BLOCK_ELEMENTS = 1 << 20;

    private final OpenClContext context;
    private final KernelProgram program;
    private final DeviceBufferPool<cl_mem> pool;
    private final int reduceGroup;
    private final int spmmGroup;

    /** A backend on the device chosen by {@value #DEVICE_PROPERTY}. */
    public OpenClBackend() {
        this(System.getProperty(DEVICE_PROPERTY));
    }

    /**
     * A backend on the device chosen by {@code device}: an index as {@link #describeDevices()}
     * lists them, part of a platform or device name, or null for the first GPU (else the first
     * device).
     *
     * @throws BackendException when OpenCL is unavailable or the kernels do not build
     * @throws IllegalArgumentException when no device matches, listing the devices
     */
    public OpenClBackend(String device) {
        OpenClProbe.Discovery discovery = OpenClProbe.discover();
        if (!discovery.found()) {
            throw new BackendException(discovery.failure());
        }
        DeviceInfo info = DeviceSelector.select(device, discovery.devices());
        long deviceGroup = info.maxWorkGroupSize();
        if (deviceGroup < 64) {
            throw new BackendException("OpenCL device " + info.shortName() + " runs at most " + deviceGroup
                    + " work-items per group; the OpenCL backend needs 64");
        }
        this.reduceGroup = (int) Long.highestOneBit(Math.min(256, deviceGroup));
        this.spmmGroup = 64;
        this.context = OpenClContext.open(info);
        KernelProgram built = null;
        try {
            built = KernelProgram.build(context, String.format(Locale.ROOT,
                    "-cl-std=CL1.2 -D RED_WG=%d -D SPMM_WG=%d -D GEMM_TS=%d -D GEMM_TK=%d -D GEMM_WPT=%d", reduceGroup,
                    spmmGroup, GEMM_TILE, GEMM_DEPTH, GEMM_WORK_PER_ITEM));
            checkGroupSizes(built);
            this.program = built;
            this.pool = new DeviceBufferPool<>(new DeviceBufferPool.Allocator<>() {
                @Override
                public cl_mem allocate(long bytes) {
                    return context.createBuffer(bytes);
                }

                @Override
                public void release(cl_mem buffer) {
                    context.releaseBuffer(buffer);
                }
            }, poolLimit(info));
        } catch (RuntimeException e) {
            if (built != null) {
                built.close();
            }
            context.close();
            throw e;
        }
    }

    private void checkGroupSizes(KernelProgram built) {
        for (String kernel : built.kernelNames()) {
            long needed = switch (kernel) {
                case "spmm_rows", "spmm_rows_batch" -> spmmGroup;
                case "gemm_tiled" -> (long) GEMM_GROUP_EDGE * GEMM_GROUP_EDGE;
                default -> reduceGroup;
            };
            long possible = built.maxWorkGroupSize(kernel);
            if (possible < needed) {
                throw new BackendException("OpenCL kernel " + kernel + " runs with at most " + possible
                        + " work-items per group on " + context.info().shortName() + "; the backend launches it with "
                        + needed);
            }
        }
    }

    private static long poolLimit(DeviceInfo info) {
        String configured = System.getProperty(POOL_PROPERTY);
        if (configured == null || configured.isBlank()) {
            return info.globalMemory() / 4;
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

    /**
     * Every OpenCL platform and device of this machine, one line each, the device the backend
     * would choose marked; or {@code "OpenCL unavailable: <reason>"}. Never throws.
     */
    public static String describeDevices() {
        OpenClProbe.Discovery discovery = OpenClProbe.discover();
        if (!discovery.found()) {
            return discovery.failure();
        }
        List<DeviceInfo> devices = discovery.devices();
        DeviceInfo chosen;
        String problem = null;
        try {
            chosen = DeviceSelector.select(devices);
        } catch (IllegalArgumentException e) {
            chosen = null;
            problem = e.getMessage().lines().findFirst().orElse("");
        }
        StringBuilder text = new StringBuilder();
        int platform = -1;
        for (DeviceInfo device : devices) {
            if (device.platformIndex() != platform) {
                platform = device.platformIndex();
                text.append("platform ").append(platform).append(": ").append(device.platformName()).append(" (")
                        .append(device.platformVersion()).append(")\n");
            }
            text.append("  ").append(device.line());
            if (device == chosen) {
                text.append("  <- selected");
            }
            text.append('\n');
        }
        for (String skipped : discovery.skipped()) {
            text.append(skipped).append('\n');
        }
        if (problem != null) {
            text.append(problem).append('\n');
        }
        text.append("choose with -D").append(DEVICE_PROPERTY).append("=INDEX or =NAME (part of a platform or device name)");
        return text.toString();
    }

    // ---- information --------------------------------------------------------------------

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public String description() {
        DeviceInfo info = context.info();
        return String.format(Locale.ROOT, "OpenCL on %s (%s, %d compute units, %s, %s) of platform %s; every operation "
                        + "runs as an OpenCL kernel (work-groups of %d, sparse gathers %d, GEMM tiles %dx%d); on the host: "
                        + "the transposition in upload/download, the upload of labels and gather positions, argmaxRows' "
                        + "result, and topKAbsDenseGradient's merge of the device's candidates into the top k; "
                        + "feature-major layout, pooled device memory", info.name(), info.type(), info.computeUnits(),
                DeviceInfo.mebibytes(info.globalMemory()), info.openClCVersion(), info.platformName(), reduceGroup,
                spmmGroup, GEMM_TILE, GEMM_TILE);
    }

    /** The device's name, as OpenCL reports it. */
    public String deviceName() {
        return context.info().name();
    }

    /**
     * The device's bytes for a pattern: CSR, the row of every entry, and the CSC transpose map
     * (16 bytes per connection plus the two pointer arrays), each rounded up to its pool size class.
     */
    @Override
    public long patternBytes(int rows, int columns, long nnz) {
        return DeviceBufferPool.sizeClass(4L * (rows + 1)) + DeviceBufferPool.sizeClass(4L * (columns + 1))
                + 4 * DeviceBufferPool.sizeClass(4L * nnz);
    }

    /**
     * Device memory not held by open matrices and patterns (pooled free buffers count as
     * available: an allocation that does not fit releases them first).
     */
    @Override
    public long availableBytes() {
        return Math.max(0, context.info().globalMemory() - pool.bytesInUse());
    }

    /** The device buffer pool's usage: bytes in use and pooled, buffers created and reused. */
    public DeviceBufferPool.Usage memoryUsage() {
        return pool.usage();
    }

    /** Releases every free pooled buffer to the device; the matrices in use keep theirs. */
    public void releasePooledBuffers() {
        pool.trim();
    }

    /** Waits until every queued operation has finished (for timing; results are read with {@link #download}). */
    @Override
    public void synchronize() {
        ensureOpen();
        context.finish();
    }

    DeviceBufferPool<cl_mem> pool() {
        return pool;
    }

    void ensureOpen() {
        if (isClosed()) {
            throw new IllegalStateException("the OpenCL backend was closed; its matrices are no longer usable");
        }
    }

    // ---- helpers ------------------------------------------------------------------------

    private static cl_mem mem(DenseMatrix matrix) {
        return ((OpenClDenseMatrix) matrix).buffer();
    }

    private KernelCall call(String kernel, String op, Object... operands) {
        ensureOpen();
        return program.call(kernel, op, operands);
    }

    /** An element-wise launch of one work-item per element. */
    private void elementwise(KernelCall call, long elements) {
        call.launch(elements, reduceGroup);
    }

    /** Rows sharing a work-group of the per-row kernels: the batch rounded up to a power of two, at most 32. */
    private static int rowLanes(int rows) {
        return Math.min(ceilPowerOfTwo(rows), MAX_ROW_LANES);
    }

    /** A launch of the per-row kernels: one work-group per {@code lanes} rows. */
    private void perRow(KernelCall call, int rows, int lanes) {
        call.launch((long) ceilDiv(rows, lanes) * reduceGroup, reduceGroup);
    }

    private static int ceilPowerOfTwo(int value) {
        return value <= 1 ? 1 : Integer.highestOneBit(value - 1) << 1;
    }

    private static int ceilDiv(long value, long divisor) {
        return (int) ((value + divisor - 1) / divisor);
    }

    /** Refuses a buffer larger than the device allows ({@code CL_DEVICE_MAX_MEM_ALLOC_SIZE}). */
    private void checkBufferSize(long bytes, String what) {
        long largest = context.info().maxAllocation();
        if (DeviceBufferPool.sizeClass(bytes) > largest) {
            throw new IllegalArgumentException(what + " needs a device buffer of " + bytes + " bytes, more than the "
                    + largest + " bytes " + context.info().shortName() + " allows in one buffer "
                    + "(CL_DEVICE_MAX_MEM_ALLOC_SIZE); use a smaller batch or layer, or another device");
        }
    }

    private DeviceBufferPool.Lease<cl_mem> temporary(long bytes, String op) {
        ensureOpen();
        checkBufferSize(bytes, op);
        try {
            return pool.acquire(bytes);
        } catch (OpenClException e) {
            throw new OpenClException(op + ": a temporary buffer of " + bytes + " bytes", e);
        }
    }

    private DeviceBufferPool.Lease<cl_mem> labels(int[] labels, String op) {
        DeviceBufferPool.Lease<cl_mem> lease = temporary((long) labels.length * Integer.BYTES, op);
        try {
            context.write(lease.buffer(), labels);
            return lease;
        } catch (OpenClException e) {
            pool.release(lease);
            throw new OpenClException(op + ": uploading " + labels.length + " labels", e);
        }
    }

    // ---- memory -------------------------------------------------------------------------

    @Override
    protected DenseMatrix allocate(int rows, int columns) {
        ensureOpen();
        long elements = (long) rows * columns;
        checkBufferSize(elements * Float.BYTES, "zeros (" + rows + ", " + columns + ")");
        DeviceBufferPool.Lease<cl_mem> lease;
        try {
            lease = pool.acquire(elements * Float.BYTES);
        } catch (OpenClException e) {
            throw new OpenClException("zeros (" + rows + ", " + columns + "): allocating " + elements * Float.BYTES
                    + " bytes with " + pool.bytesInUse() + " in use and " + pool.bytesPooled() + " pooled", e);
        }
        OpenClDenseMatrix matrix = new OpenClDenseMatrix(this, rows, columns, lease);
        try {
            fillImpl(matrix, 0f);
        } catch (RuntimeException e) {
            matrix.close();
            throw e;
        }
        return matrix;
    }

    @Override
    protected SparseMatrix buildPattern(Connectivity connectivity) {
        ensureOpen();
        checkBufferSize(4L * Math.max(connectivity.nnz(), Math.max(connectivity.rows(), connectivity.columns()) + 1L),
                "pattern " + connectivity.rows() + " x " + connectivity.columns() + " with " + connectivity.nnz()
                        + " connections");
        int[][] arrays = DevicePatternArrays.of(connectivity);
        List<DeviceBufferPool.Lease<cl_mem>> leases = new ArrayList<>(arrays.length);
        try {
            for (int[] array : arrays) {
                DeviceBufferPool.Lease<cl_mem> lease = pool.acquire((long) array.length * Integer.BYTES);
                leases.add(lease);
                context.write(lease.buffer(), array);
            }
        } catch (OpenClException e) {
            leases.forEach(pool::release);
            throw new OpenClException("pattern " + connectivity.rows() + " x " + connectivity.columns() + " with "
                    + connectivity.nnz() + " connections", e);
        }
        return new OpenClSparseMatrix(this, connectivity, leases);
    }

    @Override
    protected void uploadImpl(float[] rowMajor, DenseMatrix target) {
        int rows = target.rows();
        int columns = target.columns();
        float[] featureMajor = new float[rowMajor.length];
        for (int r = 0; r < rows; r++) {
            int from = r * columns;
            for (int c = 0; c < columns; c++) {
                featureMajor[c * rows + r] = rowMajor[from + c];
            }
        }
        try {
            context.write(mem(target), featureMajor);
        } catch (OpenClException e) {
            throw new OpenClException("upload " + target.shapeString(), e);
        }
    }

    @Override
    protected float[] downloadImpl(DenseMatrix matrix) {
        int rows = matrix.rows();
        int columns = matrix.columns();
        float[] featureMajor = new float[rows * columns];
        try {
            context.read(mem(matrix), featureMajor);
        } catch (OpenClException e) {
            throw new OpenClException("download " + matrix.shapeString()
                    + " (an error of an earlier, asynchronous operation shows here too)", e);
        }
        float[] rowMajor = new float[featureMajor.length];
        for (int c = 0; c < columns; c++) {
            int from = c * rows;
            for (int r = 0; r < rows; r++) {
                rowMajor[r * columns + c] = featureMajor[from + r];
            }
        }
        return rowMajor;
    }

    @Override
    protected void copyImpl(DenseMatrix source, DenseMatrix target) {
        try {
            context.copy(mem(source), mem(target), source.size() * Float.BYTES);
        } catch (OpenClException e) {
            throw new OpenClException("copy " + source.shapeString() + " into " + target.shapeString(), e);
        }
    }

    @Override
    protected void fillImpl(DenseMatrix matrix, float value) {
        elementwise(call("fill", "fill", "matrix", matrix).matrix(matrix).real(value).integer((int) matrix.size()),
                matrix.size());
    }

    // ---- sparse -------------------------------------------------------------------------

    @Override
    protected void spmmImpl(SparseMatrix weight, DenseMatrix values, DenseMatrix x, DenseMatrix y) {
        OpenClSparseMatrix w = (OpenClSparseMatrix) weight;
        gatherRows("spmm", w, w.buffer(DevicePatternArrays.ROW_POINTERS), w.buffer(DevicePatternArrays.COLUMN_INDICES),
                null, weight.rows(), values, x, y, false, "x", "y");
    }

    @Override
    protected void spmmTransposedImpl(SparseMatrix weight, DenseMatrix values, DenseMatrix dy, DenseMatrix dx,
                                      boolean accumulate) {
        OpenClSparseMatrix w = (OpenClSparseMatrix) weight;
        gatherRows("spmmTransposed", w, w.buffer(DevicePatternArrays.COLUMN_POINTERS),
                w.buffer(DevicePatternArrays.ROW_INDICES), w.buffer(DevicePatternArrays.VALUE_POSITIONS), weight.columns(),
                values, dy, dx, accumulate, "dy", "dx");
    }

    /**
     * One launch of a sparse gather over {@code rows} compressed rows ({@code positions} null
     * for the CSR, the transpose map for the CSC): {@code spmm_rows_batch} when the batch fills a
     * work-group, else {@code spmm_rows} with the batch rounded up to a power of two along one
     * side of the work-group and the row's entries along the other.
     */
    private void gatherRows(String op, OpenClSparseMatrix weight, cl_mem pointers, cl_mem indices, cl_mem positions,
                            int rows, DenseMatrix values, DenseMatrix in, DenseMatrix out, boolean accumulate,
                            String inName, String outName) {
        int batch = in.rows();
        boolean wide = batch >= spmmGroup;
        KernelCall call = call(wide ? "spmm_rows_batch" : "spmm_rows", op, "weight", weight, "values", values, inName,
                in, outName, out)
                .buffer(pointers).buffer(indices).buffer(positions != null ? positions : indices).flag(positions != null)
                .matrix(values).matrix(in).matrix(out).integer(batch);
        if (!wide) {
            call.integer(ceilPowerOfTwo(batch));
        }
        call.flag(accumulate).launch((long) rows * spmmGroup, spmmGroup);
    }

    @Override
    protected void sddmmImpl(SparseMatrix weight, DenseMatrix dy, DenseMatrix x, DenseMatrix dValues,
                             boolean accumulate) {
        OpenClSparseMatrix w = (OpenClSparseMatrix) weight;
        int batch = dy.rows();
        int nnz = weight.nnz();
        boolean lanes = batch >= SDDMM_LANES_FROM_BATCH;
        KernelCall call = call(lanes ? "sddmm_lanes" : "sddmm_entries", "sddmm", "weight", weight, "dy", dy, "x", x,
                "dValues", dValues)
                .buffer(w.buffer(DevicePatternArrays.ENTRY_ROWS))
                .buffer(w.buffer(DevicePatternArrays.COLUMN_INDICES))
                .matrix(dy).matrix(x).matrix(dValues).integer(nnz).integer(batch).flag(accumulate);
        if (lanes) {
            int entriesPerGroup = reduceGroup / 32;
            call.launch((long) ceilDiv(nnz, entriesPerGroup) * reduceGroup, reduceGroup);
        } else {
            call.launch(nnz, reduceGroup);
        }
    }

    // ---- dense --------------------------------------------------------------------------

    @Override
    protected void gemmImpl(DenseMatrix a, boolean transposeA, DenseMatrix b, boolean transposeB, DenseMatrix c,
                            boolean accumulate) {
        int m = c.rows();
        int n = c.columns();
        int k = transposeA ? a.rows() : a.columns();
        call("gemm_tiled", "gemm", "a" + (transposeA ? "^T" : ""), a, "b" + (transposeB ? "^T" : ""), b, "c", c)
                .integer(m).integer(n).integer(k)
                .matrix(a).integer(a.rows()).flag(transposeA)
                .matrix(b).integer(b.rows()).flag(transposeB)
                .matrix(c).flag(accumulate)
                .launch((long) ceilDiv(m, GEMM_TILE) * GEMM_GROUP_EDGE, (long) ceilDiv(n, GEMM_TILE) * GEMM_GROUP_EDGE,
                        GEMM_GROUP_EDGE, GEMM_GROUP_EDGE);
    }

    @Override
    protected void addRowVectorImpl(DenseMatrix y, DenseMatrix row) {
        elementwise(call("add_row_vector", "addRowVector", "y", y, "row", row)
                .matrix(y).matrix(row).integer(y.rows()).integer((int) y.size()), y.size());
    }

    @Override
    protected void columnSumsImpl(DenseMatrix x, DenseMatrix sums, boolean accumulate) {
        call("column_sums", "columnSums", "x", x, "sums", sums)
                .matrix(x).matrix(sums).integer(x.rows()).flag(accumulate)
                .launch((long) x.columns() * reduceGroup, reduceGroup);
    }

    @Override
    protected void activateImpl(Activation function, DenseMatrix x, DenseMatrix y) {
        elementwise(call("activate", "activate " + function, "x", x, "y", y)
                .integer(function.kernelCode()).matrix(x).matrix(y).integer((int) x.size()), x.size());
    }

    @Override
    protected void activateBackwardImpl(Activation function, DenseMatrix x, DenseMatrix y, DenseMatrix dy,
                                        DenseMatrix dx, boolean accumulate) {
        elementwise(call("activate_backward", "activateBackward " + function, "x", x, "y", y, "dy", dy, "dx", dx)
                .integer(function.kernelCode()).matrix(x).matrix(y).matrix(dy).matrix(dx).integer((int) x.size())
                .flag(accumulate), x.size());
    }

    @Override
    protected void layerNormImpl(DenseMatrix x, DenseMatrix gamma, DenseMatrix beta, float epsilon, DenseMatrix y,
                                 DenseMatrix mean, DenseMatrix rstd) {
        int rows = x.rows();
        int lanes = rowLanes(rows);
        perRow(call("layer_norm_rows", "layerNorm", "x", x, "gamma", gamma, "beta", beta, "y", y)
                .matrix(x).matrix(gamma).matrix(beta).real(epsilon).matrix(y).matrix(mean).matrix(rstd)
                .integer(rows).integer(x.columns()).integer(lanes), rows, lanes);
    }

    @Override
    protected void layerNormBackwardImpl(DenseMatrix x, DenseMatrix gamma, DenseMatrix mean, DenseMatrix rstd,
                                         DenseMatrix dy, DenseMatrix dx, DenseMatrix dGamma, DenseMatrix dBeta) {
        int rows = x.rows();
        if (dx != null) {
            int lanes = rowLanes(rows);
            perRow(call("layer_norm_backward_rows", "layerNormBackward", "x", x, "dy", dy, "dx", dx)
                    .matrix(x).matrix(gamma).matrix(mean).matrix(rstd).matrix(dy).matrix(dx)
                    .integer(rows).integer(x.columns()).integer(lanes), rows, lanes);
        }
        if (dGamma != null || dBeta != null) {
            DenseMatrix anyGradient = dGamma != null ? dGamma : dBeta;
            call("layer_norm_parameter_grads", "layerNormBackward", "x", x, "dy", dy, "dGamma", dGamma, "dBeta", dBeta)
                    .matrix(x).matrix(mean).matrix(rstd).matrix(dy)
                    .matrix(dGamma != null ? dGamma : anyGradient).flag(dGamma != null)
                    .matrix(dBeta != null ? dBeta : anyGradient).flag(dBeta != null)
                    .integer(rows)
                    .launch((long) x.columns() * reduceGroup, reduceGroup);
        }
    }

    @Override
    protected void softmaxCrossEntropyImpl(DenseMatrix logits, int[] labels, DenseMatrix probabilities,
                                           DenseMatrix loss) {
        int rows = logits.rows();
        int lanes = rowLanes(rows);
        DeviceBufferPool.Lease<cl_mem> deviceLabels = labels(labels, "softmaxCrossEntropy");
        DeviceBufferPool.Lease<cl_mem> rowLoss = null;
        try {
            rowLoss = temporary((long) rows * Float.BYTES, "softmaxCrossEntropy");
            perRow(call("softmax_xent_rows", "softmaxCrossEntropy", "logits", logits, "probabilities", probabilities)
                    .matrix(logits).buffer(deviceLabels.buffer()).matrix(probabilities).buffer(rowLoss.buffer())
                    .integer(rows).integer(logits.columns()).integer(lanes), rows, lanes);
            call("sum_scaled", "softmaxCrossEntropy", "logits", logits, "loss", loss)
                    .buffer(rowLoss.buffer()).integer(rows).real(1f / rows).matrix(loss)
                    .launch(reduceGroup, reduceGroup);
        } finally {
            pool.release(deviceLabels);
            if (rowLoss != null) {
                pool.release(rowLoss);
            }
        }
    }

    @Override
    protected void softmaxCrossEntropyBackwardImpl(DenseMatrix probabilities, int[] labels, DenseMatrix dLoss,
                                                   DenseMatrix dLogits, boolean accumulate) {
        DeviceBufferPool.Lease<cl_mem> deviceLabels = labels(labels, "softmaxCrossEntropyBackward");
        try {
            elementwise(call("softmax_xent_backward", "softmaxCrossEntropyBackward", "probabilities", probabilities,
                    "dLogits", dLogits)
                    .matrix(probabilities).buffer(deviceLabels.buffer()).matrix(dLoss).matrix(dLogits)
                    .integer(probabilities.rows()).integer((int) probabilities.size()).flag(accumulate),
                    probabilities.size());
        } finally {
            pool.release(deviceLabels);
        }
    }

    @Override
    protected void squaredErrorImpl(DenseMatrix prediction, DenseMatrix target, float scale, DenseMatrix loss) {
        long n = prediction.size();
        int groups = Math.max(1, Math.min(MAX_PARTIALS, ceilDiv(n, reduceGroup)));
        DeviceBufferPool.Lease<cl_mem> partials = temporary((long) groups * Float.BYTES, "squaredError");
        try {
            call("squared_error_partials", "squaredError", "prediction", prediction, "target", target)
                    .matrix(prediction).matrix(target).buffer(partials.buffer()).integer((int) n)
                    .launch((long) groups * reduceGroup, reduceGroup);
            call("sum_scaled", "squaredError", "prediction", prediction, "loss", loss)
                    .buffer(partials.buffer()).integer(groups).real(scale).matrix(loss)
                    .launch(reduceGroup, reduceGroup);
        } finally {
            pool.release(partials);
        }
    }

    @Override
    protected void squaredErrorBackwardImpl(DenseMatrix prediction, DenseMatrix target, float scale, DenseMatrix dLoss,
                                            DenseMatrix dPrediction, boolean accumulate) {
        elementwise(call("squared_error_backward", "squaredErrorBackward", "prediction", prediction,
                "dPrediction", dPrediction)
                .matrix(prediction).matrix(target).real(scale).matrix(dLoss).matrix(dPrediction)
                .integer((int) prediction.size()).flag(accumulate), prediction.size());
    }

    @Override
    protected void axpyImpl(float alpha, DenseMatrix x, DenseMatrix y) {
        elementwise(call("axpy", "axpy", "x", x, "y", y).real(alpha).matrix(x).matrix(y).integer((int) x.size()),
                x.size());
    }

    @Override
    protected void scaleImpl(DenseMatrix x, float alpha) {
        elementwise(call("scale", "scale", "x", x).matrix(x).real(alpha).integer((int) x.size()), x.size());
    }

    @Override
    protected int[] argmaxRowsImpl(DenseMatrix matrix) {
        int rows = matrix.rows();
        int lanes = rowLanes(rows);
        DeviceBufferPool.Lease<cl_mem> result = temporary((long) rows * Integer.BYTES, "argmaxRows");
        try {
            perRow(call("argmax_rows", "argmaxRows", "matrix", matrix)
                    .matrix(matrix).buffer(result.buffer()).integer(rows).integer(matrix.columns()).integer(lanes),
                    rows, lanes);
            int[] columns = new int[rows];
            context.read(result.buffer(), columns);
            return columns;
        } catch (OpenClException e) {
            throw new OpenClException("argmaxRows of " + matrix.shapeString(), e);
        } finally {
            pool.release(result);
        }
    }

    // ---- activation sparsity ------------------------------------------------------------

    @Override
    protected void kWinnersImpl(DenseMatrix x, DenseMatrix boost, int k, DenseMatrix y, DenseMatrix mask) {
        call("k_winners_rows", "kWinners", "x", x, "boost", boost, "y", y, "mask", mask)
                .matrix(x).matrix(boost).integer(k).matrix(y).matrix(mask).integer(x.rows()).integer(x.columns())
                .launch((long) x.rows() * reduceGroup, reduceGroup);
    }

    @Override
    protected void boostFactorsImpl(DenseMatrix dutyCycle, float density, float strength, DenseMatrix boost) {
        elementwise(call("boost_factors", "boostFactors", "dutyCycle", dutyCycle, "boost", boost)
                .matrix(dutyCycle).real(density).real(strength).matrix(boost).integer((int) boost.size()),
                boost.size());
    }

    // ---- rewiring -----------------------------------------------------------------------

    /**
     * RigL's grow step: the device scans the dense gradient block by block (one work-item per
     * position, a contiguous dot product over the batch, stored positions skipped) and returns
     * only the candidates that beat the running top-k's threshold (all of them until it holds
     * k); the host merges those few into the running top-k ({@link RunningTopK}), which orders
     * the result. Memory is O(block + k).
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
        OpenClSparseMatrix pattern = (OpenClSparseMatrix) exclude;
        int blockRows = Math.max(1, Math.min(out, GROW_BLOCK_ELEMENTS / in));
        RunningTopK best = new RunningTopK(m);
        DeviceBufferPool.Lease<cl_mem> counter = temporary(Integer.BYTES, "topKAbsDenseGradient");
        DeviceBufferPool.Lease<cl_mem> candidates = null;
        try {
            candidates = temporary(2L * blockRows * in * Integer.BYTES, "topKAbsDenseGradient");
            int[] count = new int[1];
            for (int row0 = 0; row0 < out; row0 += blockRows) {
                int elements = Math.min(blockRows, out - row0) * in;
                count[0] = 0;
                context.write(counter.buffer(), count);
                call("grow_candidates", "topKAbsDenseGradient", "dy", dy, "x", x, "exclude", exclude)
                        .matrix(dy).matrix(x)
                        .buffer(pattern.buffer(DevicePatternArrays.ROW_POINTERS))
                        .buffer(pattern.buffer(DevicePatternArrays.COLUMN_INDICES))
                        .integer(dy.rows()).integer(in).integer(row0).integer(elements)
                        .flag(best.size() < m).integer(best.thresholdRank())
                        .buffer(counter.buffer()).buffer(candidates.buffer())
                        .launch(elements, reduceGroup);
                context.read(counter.buffer(), count);
                if (count[0] > 0) {
                    int[] found = new int[2 * count[0]];
                    context.read(candidates.buffer(), found);
                    long first = (long) row0 * in;
                    for (int j = 0; j < found.length; j += 2) {
                        best.offerRanked(found[j], first + found[j + 1]);
                    }
                }
            }
        } catch (OpenClException e) {
            throw new OpenClException("topKAbsDenseGradient with dy " + dy.shapeString() + ", x " + x.shapeString()
                    + ", exclude " + out + " x " + in, e);
        } finally {
            pool.release(counter);
            if (candidates != null) {
                pool.release(candidates);
            }
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

    @Override
    protected void gatherImpl(DenseMatrix source, int[] sourcePositions, DenseMatrix target) {
        if (sourcePositions.length == 0) {
            return;
        }
        DeviceBufferPool.Lease<cl_mem> positions = temporary((long) sourcePositions.length * Integer.BYTES, "gather");
        try {
            context.write(positions.buffer(), sourcePositions);
            elementwise(call("gather_positions", "gather", "source", source, "target", target)
                    .matrix(source).buffer(positions.buffer()).matrix(target).integer(sourcePositions.length),
                    sourcePositions.length);
        } catch (OpenClException e) {
            throw new OpenClException("gather of " + sourcePositions.length + " positions from " + source.shapeString(), e);
        } finally {
            pool.release(positions);
        }
    }

    // ---- optimizers ---------------------------------------------------------------------

    @Override
    protected void sgdStepImpl(DenseMatrix parameter, DenseMatrix gradient, DenseMatrix velocity,
                               SgdSettings settings) {
        elementwise(call("sgd_step", "sgdStep", "parameter", parameter, "gradient", gradient, "velocity", velocity)
                .matrix(parameter).matrix(gradient).matrix(velocity != null ? velocity : parameter)
                .flag(velocity != null).real(settings.learningRate()).real(settings.momentum())
                .real(settings.weightDecay()).flag(settings.nesterov()).integer((int) parameter.size()),
                parameter.size());
    }

    @Override
    protected void adamStepImpl(DenseMatrix parameter, DenseMatrix gradient, DenseMatrix firstMoment,
                                DenseMatrix secondMoment, AdamSettings settings, long step) {
        float stepSize = (float) (settings.learningRate() / (1 - Math.pow(settings.beta1(), step)));
        float correction2 = (float) Math.sqrt(1 - Math.pow(settings.beta2(), step));
        elementwise(call("adam_step", "adamStep", "parameter", parameter, "gradient", gradient)
                .matrix(parameter).matrix(gradient).matrix(firstMoment).matrix(secondMoment)
                .real(settings.beta1()).real(settings.beta2()).real(settings.epsilon()).real(settings.weightDecay())
                .real(stepSize).real(correction2).integer((int) parameter.size()), parameter.size());
    }

    /**
     * Waits for the queue, then releases every device buffer (pooled or still held by a matrix),
     * the kernels and the context; matrices of this backend become unusable. Idempotent.
     */
    @Override
    public synchronized void close() {
        if (isClosed()) {
            return;
        }
        markClosed();
        try {
            context.finish();
        } finally {
            pool.close();
            program.close();
            context.close();
        }
    }
}
