package org.sparselinear.backend.opencl;

import java.util.List;
import java.util.Locale;
import org.jocl.cl_mem;
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
import org.sparselinear.device.HostTranspose;
import org.sparselinear.device.KernelArgs;
import org.sparselinear.device.PoolSizing;
import org.sparselinear.device.SparseInputKernel;
import org.sparselinear.device.Strided;
import org.sparselinear.spi.AdagradSettings;
import org.sparselinear.spi.AdamSettings;
import org.sparselinear.spi.SgdSettings;

/**
 * The OpenCL backend: every operation of {@link org.sparselinear.api.Backend} runs as an
 * OpenCL C 1.2 kernel on one device, through JOCL, on one in-order command queue.
 *
 * <p>Dense matrices are stored feature-major (element {@code (r, c)} at {@code c * rows + r}),
 * like the CPU backend; {@link #upload} and {@link #download} transpose on the host. Patterns are
 * kept as CSR, the row of every entry, and the CSC transpose map (see {@link DevicePattern}).
 * The kernels are compiled once, when the backend is created, and released by {@link #close()}.
 *
 * <p>Device memory is pooled by size class ({@link org.sparselinear.device.DeviceBufferPool}): closing a matrix (or its memory
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
public final class OpenClBackend extends DeviceBackend<cl_mem> {

    /** The backend's name. */
    public static final String NAME = "opencl";

    /** System property choosing the device: an index, or part of a platform or device name. */
    public static final String DEVICE_PROPERTY = DeviceSelector.PROPERTY;

    /** System property bounding the bytes of free buffers the pool keeps (default: a quarter of device memory). */
    public static final String POOL_PROPERTY = "sparselinear.opencl.poolBytes";

    /** Below this length the sampled dot products use one work-item per entry, from it on 32 lanes per entry. */
    private static final int SDDMM_LANES_FROM_LENGTH = 256;

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

    /** Work-items per group of the sparse gathers ({@code SPMM_WG}). */
    private static final int SPMM_GROUP = 64;

    private final OpenClContext context;
    private final KernelProgram program;
    private final int reduceGroup;

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
     * @throws IllegalArgumentException when no device matches, listing the devices, or when
     *         {@value #POOL_PROPERTY} is not a number of bytes
     */
    public OpenClBackend(String device) {
        this(PoolSizing.configuredLimit(POOL_PROPERTY), select(device));
    }

    private OpenClBackend(long configuredPoolLimit, DeviceInfo info) {
        super(PoolSizing.limit(configuredPoolLimit, info.globalMemory()));
        this.reduceGroup = (int) Long.highestOneBit(Math.min(256, info.maxWorkGroupSize()));
        this.context = OpenClContext.open(info);
        KernelProgram built = null;
        try {
            built = KernelProgram.build(
                    context,
                    String.format(
                            Locale.ROOT,
                            "-cl-std=CL1.2 -D RED_WG=%d -D SPMM_WG=%d -D GEMM_TS=%d -D GEMM_TK=%d -D GEMM_WPT=%d",
                            reduceGroup,
                            SPMM_GROUP,
                            GEMM_TILE,
                            GEMM_DEPTH,
                            GEMM_WORK_PER_ITEM));
            checkGroupSizes(built);
            this.program = built;
        } catch (RuntimeException e) {
            if (built != null) {
                built.close();
            }
            context.close();
            throw e;
        }
    }

    /** The device {@code device} names, if it runs the work-groups of 64 the kernels need. */
    private static DeviceInfo select(String device) {
        OpenClProbe.Discovery discovery = OpenClProbe.discover();
        if (!discovery.found()) {
            throw new BackendException(discovery.failure());
        }
        DeviceInfo info = DeviceSelector.select(device, discovery.devices());
        if (info.maxWorkGroupSize() < 64) {
            throw new BackendException("OpenCL device " + info.shortName() + " runs at most " + info.maxWorkGroupSize()
                    + " work-items per group; the OpenCL backend needs 64");
        }
        return info;
    }

    private void checkGroupSizes(KernelProgram built) {
        for (OpenClKernel kernel : OpenClKernel.values()) {
            long needed =
                    switch (kernel) {
                        case SPMM_ROWS, SPMM_ROWS_BATCH -> SPMM_GROUP;
                        case GEMM_TILED -> (long) GEMM_GROUP_EDGE * GEMM_GROUP_EDGE;
                        default -> reduceGroup;
                    };
            long possible = built.maxWorkGroupSize(kernel);
            if (possible < needed) {
                throw new BackendException("OpenCL kernel " + kernel.symbol() + " runs with at most " + possible
                        + " work-items per group on " + context.info().shortName() + "; the backend launches it with "
                        + needed);
            }
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
                text.append("platform ")
                        .append(platform)
                        .append(": ")
                        .append(device.platformName())
                        .append(" (")
                        .append(device.platformVersion())
                        .append(")\n");
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
        text.append("choose with -D")
                .append(DEVICE_PROPERTY)
                .append("=INDEX or =NAME (part of a platform or device name)");
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
        return String.format(
                Locale.ROOT,
                "OpenCL on %s (%s, %d compute units, %s, %s) of platform %s; every operation "
                        + "runs as an OpenCL kernel (work-groups of %d, sparse gathers %d, GEMM tiles %dx%d); on the host: "
                        + "the transposition in upload/download, the upload of labels and gather positions, argmaxRows' "
                        + "result, and topKAbsDenseGradient's merge of the device's candidates into the top k; "
                        + "feature-major layout, pooled device memory",
                info.name(),
                info.type(),
                info.computeUnits(),
                DeviceInfo.mebibytes(info.globalMemory()),
                info.openClCVersion(),
                info.platformName(),
                reduceGroup,
                SPMM_GROUP,
                GEMM_TILE,
                GEMM_TILE);
    }

    /** The device's name, as OpenCL reports it. */
    public String deviceName() {
        return context.info().name();
    }

    /**
     * Device memory not held by open matrices and patterns (pooled free buffers count as
     * available: an allocation that does not fit releases them first).
     */
    @Override
    public long availableBytes() {
        return Math.max(0, context.info().globalMemory() - pool().bytesInUse());
    }

    /** Waits until every queued operation has finished (for timing; results are read with {@link #download}). */
    @Override
    public void synchronize() {
        ensureOpen();
        context.finish();
    }

    // ---- the device primitives ----------------------------------------------------------

    @Override
    protected cl_mem allocateBuffer(long bytes) {
        return context.createBuffer(bytes);
    }

    @Override
    protected void releaseBuffer(cl_mem buffer) {
        context.releaseBuffer(buffer);
    }

    @Override
    protected void writeInts(cl_mem buffer, int[] values) {
        context.write(buffer, values);
    }

    @Override
    protected RuntimeException failure(DeviceException failure, String operation, Object... operands) {
        return new OpenClException(DeviceException.describe(operation, operands), failure);
    }

    @Override
    protected RuntimeException allocationFailure(DeviceException failure, long bytes) {
        return new OpenClException(
                "allocating " + bytes + " bytes with " + pool().bytesInUse() + " in use and "
                        + pool().bytesPooled() + " pooled on " + context.info().shortName()
                        + "; close matrices (or their "
                        + "MemoryScope) that are no longer needed, or use a smaller batch or layer",
                failure);
    }

    /** Refuses a buffer larger than the device allows ({@code CL_DEVICE_MAX_MEM_ALLOC_SIZE}). */
    @Override
    protected void checkBufferSize(long bytes, String what) {
        long largest = context.info().maxAllocation();
        if (DeviceBufferPool.sizeClass(bytes) > largest) {
            throw new IllegalArgumentException(what + " needs a device buffer of " + bytes + " bytes, more than the "
                    + largest + " bytes " + context.info().shortName() + " allows in one buffer "
                    + "(CL_DEVICE_MAX_MEM_ALLOC_SIZE); use a smaller batch or layer, or another device");
        }
    }

    @Override
    protected void finishQueuedWork() {
        context.finish();
    }

    @Override
    protected void releaseDevice() {
        try {
            program.close();
        } finally {
            context.close();
        }
    }

    // ---- launches -----------------------------------------------------------------------

    private static KernelArgs<cl_mem> args(OpenClKernel kernel) {
        return new KernelArgs<>(kernel);
    }

    /** Launches {@code items} work-items (rounded up to a multiple of {@code group}) in groups of {@code group}. */
    private void launch(KernelArgs<cl_mem> args, long items, long group) {
        ensureOpen();
        program.launch(args, new long[] {roundUp(items, group)}, new long[] {group});
    }

    /** An element-wise launch of one work-item per element. */
    private void elementwise(KernelArgs<cl_mem> args, long elements) {
        launch(args, elements, reduceGroup);
    }

    /** Rows sharing a work-group of the per-row kernels: the batch rounded up to a power of two, at most 32. */
    private static int rowLanes(int rows) {
        return Math.min(ceilPowerOfTwo(rows), MAX_ROW_LANES);
    }

    /** A launch of the per-row kernels: one work-group per {@code lanes} rows. */
    private void perRow(KernelArgs<cl_mem> args, int rows, int lanes) {
        launch(args, (long) ceilDiv(rows, lanes) * reduceGroup, reduceGroup);
    }

    /** A launch of one work-group per column. */
    private void perColumn(KernelArgs<cl_mem> args, int columns) {
        launch(args, (long) columns * reduceGroup, reduceGroup);
    }

    private static long roundUp(long items, long group) {
        return (items + group - 1) / group * group;
    }

    private static int ceilPowerOfTwo(int value) {
        return value <= 1 ? 1 : Integer.highestOneBit(value - 1) << 1;
    }

    private static int ceilDiv(long value, long divisor) {
        return (int) ((value + divisor - 1) / divisor);
    }

    // ---- memory -------------------------------------------------------------------------

    @Override
    protected void uploadImpl(float[] rowMajor, DenseMatrix target) {
        try {
            context.write(buffer(target), HostTranspose.toFeatureMajor(rowMajor, target.rows(), target.columns()));
        } catch (OpenClException e) {
            throw failure(e, "upload", "target", target);
        }
    }

    @Override
    protected float[] downloadImpl(DenseMatrix matrix) {
        float[] featureMajor = new float[(int) matrix.size()];
        try {
            context.read(buffer(matrix), featureMajor);
        } catch (OpenClException e) {
            throw new OpenClException(
                    DeviceException.describe("download", "matrix", matrix)
                            + " (an error of an earlier, asynchronous operation shows here too)",
                    e);
        }
        return HostTranspose.toRowMajor(featureMajor, matrix.rows(), matrix.columns());
    }

    @Override
    protected void copyImpl(DenseMatrix source, DenseMatrix target) {
        try {
            context.copy(buffer(source), buffer(target), source.size() * Float.BYTES);
        } catch (OpenClException e) {
            throw failure(e, "copy", "source", source, "target", target);
        }
    }

    /** Feature-major: the columns are one contiguous range of each buffer. */
    @Override
    protected void copyColumnsImpl(
            DenseMatrix source, int sourceColumn, DenseMatrix target, int targetColumn, int count) {
        long column = (long) source.rows() * Float.BYTES;
        try {
            context.copy(buffer(source), sourceColumn * column, buffer(target), targetColumn * column, count * column);
        } catch (OpenClException e) {
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
        try {
            elementwise(
                    args(OpenClKernel.FILL).buffer(buffer(matrix)).real(value).integer((int) matrix.size()),
                    matrix.size());
        } catch (OpenClException e) {
            throw failure(e, "fill", "matrix", matrix, "value", value);
        }
    }

    // ---- sparse -------------------------------------------------------------------------

    @Override
    protected void spmmImpl(SparseMatrix weight, DenseMatrix values, DenseMatrix x, DenseMatrix y) {
        DevicePattern<cl_mem> w = pattern(weight);
        try {
            gatherRows(
                    w.buffer(DevicePatternArrays.ROW_POINTERS),
                    w.buffer(DevicePatternArrays.COLUMN_INDICES),
                    null,
                    weight.rows(),
                    values,
                    x,
                    y,
                    false);
        } catch (OpenClException e) {
            throw failure(e, "spmm", "weight", weight, "x", x, "y", y);
        }
    }

    @Override
    protected void spmmTransposedImpl(
            SparseMatrix weight, DenseMatrix values, DenseMatrix dy, DenseMatrix dx, boolean accumulate) {
        DevicePattern<cl_mem> w = pattern(weight);
        try {
            gatherRows(
                    w.buffer(DevicePatternArrays.COLUMN_POINTERS),
                    w.buffer(DevicePatternArrays.ROW_INDICES),
                    w.buffer(DevicePatternArrays.VALUE_POSITIONS),
                    weight.columns(),
                    values,
                    dy,
                    dx,
                    accumulate);
        } catch (OpenClException e) {
            throw failure(e, "spmmTransposed", "weight", weight, "dy", dy, "dx", dx);
        }
    }

    /**
     * One launch of a sparse gather over {@code rows} compressed rows ({@code positions} null
     * for the CSR, the transpose map for the CSC): {@code spmm_rows_batch} when the batch fills a
     * work-group, else {@code spmm_rows} with the batch rounded up to a power of two along one
     * side of the work-group and the row's entries along the other.
     */
    private void gatherRows(
            cl_mem pointers,
            cl_mem indices,
            cl_mem positions,
            int rows,
            DenseMatrix values,
            DenseMatrix in,
            DenseMatrix out,
            boolean accumulate) {
        int batch = in.rows();
        boolean wide = batch >= SPMM_GROUP;
        KernelArgs<cl_mem> args = args(wide ? OpenClKernel.SPMM_ROWS_BATCH : OpenClKernel.SPMM_ROWS)
                .buffer(pointers)
                .buffer(indices)
                .buffer(positions != null ? positions : indices)
                .flag(positions != null)
                .buffer(buffer(values))
                .buffer(buffer(in))
                .buffer(buffer(out))
                .integer(batch);
        if (!wide) {
            args.integer(ceilPowerOfTwo(batch));
        }
        launch(args.flag(accumulate), (long) rows * SPMM_GROUP, SPMM_GROUP);
    }

    @Override
    protected void sddmmImpl(
            SparseMatrix weight, DenseMatrix dy, DenseMatrix x, DenseMatrix dValues, boolean accumulate) {
        DevicePattern<cl_mem> w = pattern(weight);
        int batch = dy.rows();
        try {
            sampledDots(
                    w.buffer(DevicePatternArrays.ENTRY_ROWS),
                    w.buffer(DevicePatternArrays.COLUMN_INDICES),
                    new Strided<>(buffer(dy), batch, 1),
                    new Strided<>(buffer(x), batch, 1),
                    batch,
                    buffer(dValues),
                    weight.nnz(),
                    accumulate);
        } catch (OpenClException e) {
            throw failure(e, "sddmm", "weight", weight, "dy", dy, "x", x, "dValues", dValues);
        }
    }

    /**
     * {@code sddmm_entries} (a work-item per entry) below a length of {@value #SDDMM_LANES_FROM_LENGTH}, else
     * {@code sddmm_lanes} (32 work-items per entry).
     */
    @Override
    protected void sampledDots(
            cl_mem entryRows,
            cl_mem entryColumns,
            Strided<cl_mem> a,
            Strided<cl_mem> b,
            int length,
            cl_mem out,
            int nnz,
            boolean accumulate) {
        if (nnz == 0) {
            return;
        }
        boolean lanes = length >= SDDMM_LANES_FROM_LENGTH;
        KernelArgs<cl_mem> args = sampledDotsArgs(
                        lanes ? OpenClKernel.SDDMM_LANES : OpenClKernel.SDDMM_ENTRIES,
                        entryRows,
                        entryColumns,
                        a,
                        b,
                        length,
                        out,
                        nnz)
                .flag(accumulate);
        if (lanes) {
            int entriesPerGroup = reduceGroup / 32;
            launch(args, (long) ceilDiv(nnz, entriesPerGroup) * reduceGroup, reduceGroup);
        } else {
            launch(args, nnz, reduceGroup);
        }
    }

    // ---- sparse input -------------------------------------------------------------------

    @Override
    protected OpenClKernel signature(SparseInputKernel kernel) {
        return switch (kernel) {
            case LINES_DENSE -> OpenClKernel.SPARSE_LINES_DENSE;
            case ROWS_THROUGH_COLUMNS -> OpenClKernel.SPARSE_ROWS_THROUGH_COLUMNS;
            case COLUMN_DOTS -> OpenClKernel.SPARSE_COLUMN_DOTS;
        };
    }

    /** A work-item per unit of work, in groups of the reduction size. */
    @Override
    protected void launchSparseInput(KernelArgs<cl_mem> args, long workItems) {
        elementwise(args, workItems);
    }

    // ---- dense --------------------------------------------------------------------------

    @Override
    protected void gemmImpl(
            DenseMatrix a, boolean transposeA, DenseMatrix b, boolean transposeB, DenseMatrix c, boolean accumulate) {
        int m = c.rows();
        int n = c.columns();
        int k = transposeA ? a.rows() : a.columns();
        try {
            ensureOpen();
            program.launch(
                    args(OpenClKernel.GEMM_TILED)
                            .integer(m)
                            .integer(n)
                            .integer(k)
                            .buffer(buffer(a))
                            .integer(a.rows())
                            .flag(transposeA)
                            .buffer(buffer(b))
                            .integer(b.rows())
                            .flag(transposeB)
                            .buffer(buffer(c))
                            .flag(accumulate),
                    new long[] {
                        roundUp((long) ceilDiv(m, GEMM_TILE) * GEMM_GROUP_EDGE, GEMM_GROUP_EDGE),
                        roundUp((long) ceilDiv(n, GEMM_TILE) * GEMM_GROUP_EDGE, GEMM_GROUP_EDGE)
                    },
                    new long[] {GEMM_GROUP_EDGE, GEMM_GROUP_EDGE});
        } catch (OpenClException e) {
            throw failure(e, "gemm", "a", a, "transposeA", transposeA, "b", b, "transposeB", transposeB, "c", c);
        }
    }

    @Override
    protected void addRowVectorImpl(DenseMatrix y, DenseMatrix row) {
        try {
            elementwise(
                    args(OpenClKernel.ADD_ROW_VECTOR)
                            .buffer(buffer(y))
                            .buffer(buffer(row))
                            .integer(y.rows())
                            .integer((int) y.size()),
                    y.size());
        } catch (OpenClException e) {
            throw failure(e, "addRowVector", "y", y, "row", row);
        }
    }

    @Override
    protected void columnSumsImpl(DenseMatrix x, DenseMatrix sums, boolean accumulate) {
        try {
            perColumn(
                    args(OpenClKernel.COLUMN_SUMS)
                            .buffer(buffer(x))
                            .buffer(buffer(sums))
                            .integer(x.rows())
                            .flag(accumulate),
                    x.columns());
        } catch (OpenClException e) {
            throw failure(e, "columnSums", "x", x, "sums", sums);
        }
    }

    @Override
    protected void activateImpl(Activation function, DenseMatrix x, DenseMatrix y) {
        String op = "activate " + function;
        try {
            elementwise(
                    args(OpenClKernel.ACTIVATE)
                            .integer(function.kernelCode())
                            .buffer(buffer(x))
                            .buffer(buffer(y))
                            .integer((int) x.size()),
                    x.size());
        } catch (OpenClException e) {
            throw failure(e, op, "x", x, "y", y);
        }
    }

    @Override
    protected void activateBackwardImpl(
            Activation function, DenseMatrix x, DenseMatrix y, DenseMatrix dy, DenseMatrix dx, boolean accumulate) {
        String op = "activateBackward " + function;
        try {
            elementwise(
                    args(OpenClKernel.ACTIVATE_BACKWARD)
                            .integer(function.kernelCode())
                            .buffer(buffer(x))
                            .buffer(buffer(y))
                            .buffer(buffer(dy))
                            .buffer(buffer(dx))
                            .integer((int) x.size())
                            .flag(accumulate),
                    x.size());
        } catch (OpenClException e) {
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
        int lanes = rowLanes(rows);
        try {
            perRow(
                    args(OpenClKernel.LAYER_NORM_ROWS)
                            .buffer(buffer(x))
                            .buffer(buffer(gamma))
                            .buffer(buffer(beta))
                            .real(epsilon)
                            .buffer(buffer(y))
                            .buffer(buffer(mean))
                            .buffer(buffer(rstd))
                            .integer(rows)
                            .integer(x.columns())
                            .integer(lanes),
                    rows,
                    lanes);
        } catch (OpenClException e) {
            throw failure(e, "layerNorm", "x", x, "gamma", gamma, "beta", beta, "y", y);
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
        try {
            if (dx != null) {
                int lanes = rowLanes(rows);
                perRow(
                        args(OpenClKernel.LAYER_NORM_BACKWARD_ROWS)
                                .buffer(buffer(x))
                                .buffer(buffer(gamma))
                                .buffer(buffer(mean))
                                .buffer(buffer(rstd))
                                .buffer(buffer(dy))
                                .buffer(buffer(dx))
                                .integer(rows)
                                .integer(x.columns())
                                .integer(lanes),
                        rows,
                        lanes);
            }
            if (dGamma != null || dBeta != null) {
                DenseMatrix anyGradient = dGamma != null ? dGamma : dBeta;
                perColumn(
                        args(OpenClKernel.LAYER_NORM_PARAMETER_GRADS)
                                .buffer(buffer(x))
                                .buffer(buffer(mean))
                                .buffer(buffer(rstd))
                                .buffer(buffer(dy))
                                .buffer(buffer(dGamma != null ? dGamma : anyGradient))
                                .flag(dGamma != null)
                                .buffer(buffer(dBeta != null ? dBeta : anyGradient))
                                .flag(dBeta != null)
                                .integer(rows),
                        x.columns());
            }
        } catch (OpenClException e) {
            throw failure(e, "layerNormBackward", "x", x, "dy", dy, "dx", dx, "dGamma", dGamma, "dBeta", dBeta);
        }
    }

    @Override
    protected void softmaxCrossEntropyImpl(
            DenseMatrix logits, int[] labels, DenseMatrix probabilities, DenseMatrix loss) {
        int rows = logits.rows();
        int lanes = rowLanes(rows);
        try {
            DeviceBufferPool.Lease<cl_mem> deviceLabels = uploadInts(labels, "softmaxCrossEntropy labels");
            DeviceBufferPool.Lease<cl_mem> rowLoss = null;
            try {
                rowLoss = lease((long) rows * Float.BYTES, "softmaxCrossEntropy row losses");
                perRow(
                        args(OpenClKernel.SOFTMAX_XENT_ROWS)
                                .buffer(buffer(logits))
                                .buffer(deviceLabels.buffer())
                                .buffer(buffer(probabilities))
                                .buffer(rowLoss.buffer())
                                .integer(rows)
                                .integer(logits.columns())
                                .integer(lanes),
                        rows,
                        lanes);
                launch(
                        args(OpenClKernel.SUM_SCALED)
                                .buffer(rowLoss.buffer())
                                .integer(rows)
                                .real(1f / rows)
                                .buffer(buffer(loss)),
                        reduceGroup,
                        reduceGroup);
            } finally {
                release(deviceLabels);
                if (rowLoss != null) {
                    release(rowLoss);
                }
            }
        } catch (OpenClException e) {
            throw failure(e, "softmaxCrossEntropy", "logits", logits, "probabilities", probabilities);
        }
    }

    @Override
    protected void softmaxCrossEntropyBackwardImpl(
            DenseMatrix probabilities, int[] labels, DenseMatrix dLoss, DenseMatrix dLogits, boolean accumulate) {
        try {
            DeviceBufferPool.Lease<cl_mem> deviceLabels = uploadInts(labels, "softmaxCrossEntropyBackward labels");
            try {
                elementwise(
                        args(OpenClKernel.SOFTMAX_XENT_BACKWARD)
                                .buffer(buffer(probabilities))
                                .buffer(deviceLabels.buffer())
                                .buffer(buffer(dLoss))
                                .buffer(buffer(dLogits))
                                .integer(probabilities.rows())
                                .integer((int) probabilities.size())
                                .flag(accumulate),
                        probabilities.size());
            } finally {
                release(deviceLabels);
            }
        } catch (OpenClException e) {
            throw failure(e, "softmaxCrossEntropyBackward", "probabilities", probabilities, "dLogits", dLogits);
        }
    }

    @Override
    protected void squaredErrorImpl(DenseMatrix prediction, DenseMatrix target, float scale, DenseMatrix loss) {
        long n = prediction.size();
        int groups = Math.max(1, Math.min(MAX_PARTIALS, ceilDiv(n, reduceGroup)));
        try {
            DeviceBufferPool.Lease<cl_mem> partials = lease((long) groups * Float.BYTES, "squaredError partial sums");
            try {
                launch(
                        args(OpenClKernel.SQUARED_ERROR_PARTIALS)
                                .buffer(buffer(prediction))
                                .buffer(buffer(target))
                                .buffer(partials.buffer())
                                .integer((int) n),
                        (long) groups * reduceGroup,
                        reduceGroup);
                launch(
                        args(OpenClKernel.SUM_SCALED)
                                .buffer(partials.buffer())
                                .integer(groups)
                                .real(scale)
                                .buffer(buffer(loss)),
                        reduceGroup,
                        reduceGroup);
            } finally {
                release(partials);
            }
        } catch (OpenClException e) {
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
                    args(OpenClKernel.SQUARED_ERROR_BACKWARD)
                            .buffer(buffer(prediction))
                            .buffer(buffer(target))
                            .real(scale)
                            .buffer(buffer(dLoss))
                            .buffer(buffer(dPrediction))
                            .integer((int) prediction.size())
                            .flag(accumulate),
                    prediction.size());
        } catch (OpenClException e) {
            throw failure(e, "squaredErrorBackward", "prediction", prediction, "dPrediction", dPrediction);
        }
    }

    @Override
    protected void axpyImpl(float alpha, DenseMatrix x, DenseMatrix y) {
        try {
            elementwise(
                    args(OpenClKernel.AXPY)
                            .real(alpha)
                            .buffer(buffer(x))
                            .buffer(buffer(y))
                            .integer((int) x.size()),
                    x.size());
        } catch (OpenClException e) {
            throw failure(e, "axpy", "x", x, "y", y);
        }
    }

    @Override
    protected void scaleImpl(DenseMatrix x, float alpha) {
        try {
            elementwise(args(OpenClKernel.SCALE).buffer(buffer(x)).real(alpha).integer((int) x.size()), x.size());
        } catch (OpenClException e) {
            throw failure(e, "scale", "x", x);
        }
    }

    @Override
    protected void dropoutImpl(DenseMatrix x, DenseMatrix y, long key, int threshold, float scale, boolean accumulate) {
        try {
            elementwise(
                    args(OpenClKernel.DROPOUT)
                            .buffer(buffer(x))
                            .buffer(buffer(y))
                            .integer(x.rows())
                            .integer(x.columns())
                            .integer((int) key)
                            .integer((int) (key >>> 32))
                            .integer(threshold)
                            .real(scale)
                            .flag(accumulate)
                            .integer((int) x.size()),
                    x.size());
        } catch (OpenClException e) {
            throw failure(e, "dropout", "x", x);
        }
    }

    @Override
    protected int[] argmaxRowsImpl(DenseMatrix matrix) {
        int rows = matrix.rows();
        int lanes = rowLanes(rows);
        try {
            DeviceBufferPool.Lease<cl_mem> result = lease((long) rows * Integer.BYTES, "argmaxRows result");
            try {
                perRow(
                        args(OpenClKernel.ARGMAX_ROWS)
                                .buffer(buffer(matrix))
                                .buffer(result.buffer())
                                .integer(rows)
                                .integer(matrix.columns())
                                .integer(lanes),
                        rows,
                        lanes);
                int[] columns = new int[rows];
                context.read(result.buffer(), columns);
                return columns;
            } finally {
                release(result);
            }
        } catch (OpenClException e) {
            throw failure(e, "argmaxRows", "matrix", matrix);
        }
    }

    // ---- activation sparsity ------------------------------------------------------------

    @Override
    protected void kWinnersImpl(DenseMatrix x, DenseMatrix boost, int k, DenseMatrix y, DenseMatrix mask) {
        try {
            launch(
                    args(OpenClKernel.K_WINNERS_ROWS)
                            .buffer(buffer(x))
                            .buffer(buffer(boost))
                            .integer(k)
                            .buffer(buffer(y))
                            .buffer(buffer(mask))
                            .integer(x.rows())
                            .integer(x.columns()),
                    (long) x.rows() * reduceGroup,
                    reduceGroup);
        } catch (OpenClException e) {
            throw failure(e, "kWinners", "x", x, "k", k);
        }
    }

    @Override
    protected void boostFactorsImpl(DenseMatrix dutyCycle, float density, float strength, DenseMatrix boost) {
        try {
            elementwise(
                    args(OpenClKernel.BOOST_FACTORS)
                            .buffer(buffer(dutyCycle))
                            .real(density)
                            .real(strength)
                            .buffer(buffer(boost))
                            .integer((int) boost.size()),
                    boost.size());
        } catch (OpenClException e) {
            throw failure(e, "boostFactors", "dutyCycle", dutyCycle, "boost", boost);
        }
    }

    // ---- rewiring -----------------------------------------------------------------------

    /**
     * RigL's grow step on the device: one work-item per position of a block, a contiguous dot product over the
     * batch, stored positions skipped; it appends the positions that beat the running top-k's threshold (all of
     * them until it holds k) to a candidate list, which the host reads ({@link DeviceTopK}).
     */
    @Override
    protected DeviceTopK.BlockScan openGrowScan(
            DenseMatrix dy, DenseMatrix x, DevicePattern<cl_mem> exclude, int blockRows, int capacity) {
        int in = exclude.columns();
        DeviceBufferPool.Lease<cl_mem> counter = lease(Integer.BYTES, "topKAbsDenseGradient counter");
        DeviceBufferPool.Lease<cl_mem> candidates;
        try {
            candidates = lease(2L * blockRows * in * Integer.BYTES, "topKAbsDenseGradient candidates");
        } catch (RuntimeException e) {
            release(counter);
            throw e;
        }
        int[] count = new int[1];
        return new DeviceTopK.BlockScan() {
            @Override
            public int[] candidates(int row0, int elements, boolean full, int thresholdRank) {
                count[0] = 0;
                context.write(counter.buffer(), count);
                launch(
                        args(OpenClKernel.GROW_CANDIDATES)
                                .buffer(buffer(dy))
                                .buffer(buffer(x))
                                .buffer(exclude.buffer(DevicePatternArrays.ROW_POINTERS))
                                .buffer(exclude.buffer(DevicePatternArrays.COLUMN_INDICES))
                                .integer(dy.rows())
                                .integer(in)
                                .integer(row0)
                                .integer(elements)
                                .flag(!full)
                                .integer(thresholdRank)
                                .buffer(counter.buffer())
                                .buffer(candidates.buffer()),
                        elements,
                        reduceGroup);
                context.read(counter.buffer(), count);
                int[] found = new int[2 * count[0]];
                context.read(candidates.buffer(), found);
                return found;
            }

            @Override
            public void close() {
                release(counter);
                release(candidates);
            }
        };
    }

    @Override
    protected void gatherImpl(DenseMatrix source, int[] sourcePositions, DenseMatrix target) {
        if (sourcePositions.length == 0) {
            return;
        }
        try {
            DeviceBufferPool.Lease<cl_mem> positions = uploadInts(sourcePositions, "gather positions");
            try {
                elementwise(
                        args(OpenClKernel.GATHER_POSITIONS)
                                .buffer(buffer(source))
                                .buffer(positions.buffer())
                                .buffer(buffer(target))
                                .integer(sourcePositions.length),
                        sourcePositions.length);
            } finally {
                release(positions);
            }
        } catch (OpenClException e) {
            throw failure(e, "gather", "source", source, "positions", sourcePositions.length, "target", target);
        }
    }

    // ---- optimizers ---------------------------------------------------------------------

    @Override
    protected void sgdStepImpl(
            DenseMatrix parameter, DenseMatrix gradient, DenseMatrix velocity, SgdSettings settings) {
        try {
            elementwise(
                    args(OpenClKernel.SGD_STEP)
                            .buffer(buffer(parameter))
                            .buffer(buffer(gradient))
                            .buffer(buffer(velocity != null ? velocity : parameter))
                            .flag(velocity != null)
                            .real(settings.learningRate())
                            .real(settings.momentum())
                            .real(settings.weightDecay())
                            .flag(settings.nesterov())
                            .integer((int) parameter.size()),
                    parameter.size());
        } catch (OpenClException e) {
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
        float correction2 = (float) Math.sqrt(1 - Math.pow(settings.beta2(), step));
        try {
            elementwise(
                    args(OpenClKernel.ADAM_STEP)
                            .buffer(buffer(parameter))
                            .buffer(buffer(gradient))
                            .buffer(buffer(firstMoment))
                            .buffer(buffer(secondMoment))
                            .real(settings.beta1())
                            .real(settings.beta2())
                            .real(settings.epsilon())
                            .real(settings.weightDecay())
                            .real(stepSize)
                            .real(correction2)
                            .integer((int) parameter.size()),
                    parameter.size());
        } catch (OpenClException e) {
            throw failure(e, "adamStep", "parameter", parameter, "step", step);
        }
    }

    @Override
    protected void adagradStepImpl(
            DenseMatrix parameter, DenseMatrix gradient, DenseMatrix sum, AdagradSettings settings, long step) {
        try {
            elementwise(
                    args(OpenClKernel.ADAGRAD_STEP)
                            .buffer(buffer(parameter))
                            .buffer(buffer(gradient))
                            .buffer(buffer(sum))
                            .real(settings.weightDecay())
                            .real(settings.epsilon())
                            .real(settings.stepLearningRate(step))
                            .integer((int) parameter.size()),
                    parameter.size());
        } catch (OpenClException e) {
            throw failure(e, "adagradStep", "parameter", parameter, "step", step);
        }
    }
}
