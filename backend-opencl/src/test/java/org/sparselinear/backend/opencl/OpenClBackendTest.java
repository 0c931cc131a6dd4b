package org.sparselinear.backend.opencl;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import java.util.List;
import java.util.Random;
import org.jocl.cl_mem;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.sparselinear.api.BackendException;
import org.sparselinear.api.Connectivity;
import org.sparselinear.api.DenseMatrix;
import org.sparselinear.api.MemoryScope;
import org.sparselinear.api.SparseMatrix;
import org.sparselinear.device.DeviceBufferPool;
import org.sparselinear.device.KernelArgs;
import org.sparselinear.device.KernelParameter;
import org.sparselinear.device.KernelSignature;
import org.sparselinear.spi.RunningTopK;
import org.sparselinear.tck.reference.Expected;
import org.sparselinear.tck.reference.HostMatrix;
import org.sparselinear.tck.reference.Patterns;
import org.sparselinear.tck.reference.ReferenceLayerNorm;
import org.sparselinear.tck.reference.ReferenceLosses;
import org.sparselinear.tck.reference.ReferenceOps;
import org.sparselinear.tck.reference.Tolerance;

/**
 * What the kit does not reach: batches above the kernels' lane counts (several batch chunks,
 * partial work-groups), multi-tile GEMM, long reductions, argmax with NaN, failures that must
 * name the build log or the operation, and use after close.
 */
@RequiresOpenCl
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class OpenClBackendTest {

    private OpenClBackend backend;
    private MemoryScope scope;
    private final Random random = new Random(7);

    @BeforeAll
    void createBackend() {
        backend = new OpenClBackend();
    }

    @AfterAll
    void closeBackend() {
        backend.close();
    }

    @BeforeEach
    void openScope() {
        scope = backend.newScope();
    }

    @AfterEach
    void closeScope() {
        scope.close();
    }

    private float[] signed(int n) {
        float[] values = new float[n];
        for (int i = 0; i < n; i++) {
            values[i] = (float) ((0.5 + 0.5 * random.nextDouble()) * (random.nextBoolean() ? 1 : -1));
        }
        return values;
    }

    private DenseMatrix garbage(int rows, int columns) {
        float[] nan = new float[rows * columns];
        Arrays.fill(nan, Float.NaN);
        return backend.upload(nan, rows, columns);
    }

    @Test
    void everyOperationHasAnOpenClKernel() {
        assertEquals(java.util.Set.of(), backend.hostOperations());
    }

    @ParameterizedTest(name = "batch {0}")
    @ValueSource(ints = {2, 33, 100, 257})
    void sparseProductsAtLargerBatches(int batch) {
        for (Connectivity w : List.of(Patterns.skewed(), Patterns.transpose(Patterns.skewed()))) {
            SparseMatrix pattern = backend.pattern(w);
            float[] values = signed(w.nnz());
            float[] x = signed(batch * w.columns());
            float[] dy = signed(batch * w.rows());
            float[] priorDx = signed(batch * w.columns());
            float[] priorDValues = signed(w.nnz());
            DenseMatrix deviceValues = backend.upload(values, 1, w.nnz());
            DenseMatrix deviceX = backend.upload(x, batch, w.columns());
            DenseMatrix deviceDy = backend.upload(dy, batch, w.rows());

            DenseMatrix y = garbage(batch, w.rows());
            backend.spmm(pattern, deviceValues, deviceX, y);
            HostMatrix hostX = new HostMatrix(batch, w.columns(), x);
            HostMatrix hostDy = new HostMatrix(batch, w.rows(), dy);
            Tolerance.assertMatches("spmm " + w, ReferenceOps.spmm(w, values, hostX), backend.download(y));

            DenseMatrix dx = backend.upload(priorDx, batch, w.columns());
            backend.spmmTransposed(pattern, deviceValues, deviceDy, dx, true);
            Tolerance.assertMatches(
                    "spmmTransposed " + w,
                    ReferenceOps.spmmTransposed(w, values, hostDy).plus(new HostMatrix(batch, w.columns(), priorDx)),
                    backend.download(dx));

            DenseMatrix dValues = garbage(1, w.nnz());
            backend.sddmm(pattern, deviceDy, deviceX, dValues, false);
            Tolerance.assertMatches("sddmm " + w, ReferenceOps.sddmm(w, hostDy, hostX), backend.download(dValues));
            DenseMatrix accumulated = backend.upload(priorDValues, 1, w.nnz());
            backend.sddmm(pattern, deviceDy, deviceX, accumulated, true);
            Tolerance.assertMatches(
                    "sddmm accumulated " + w,
                    ReferenceOps.sddmm(w, hostDy, hostX).plus(HostMatrix.vector(priorDValues)),
                    backend.download(accumulated));
        }
    }

    @Test
    void gemmOverSeveralTilesInEveryTransposeCombination() {
        int[][] shapes = {{100, 300, 70}, {33, 1, 65}, {65, 64, 33}, {1, 500, 1}};
        for (int[] shape : shapes) {
            int m = shape[0];
            int k = shape[1];
            int n = shape[2];
            for (int flags = 0; flags < 8; flags++) {
                boolean ta = (flags & 1) != 0;
                boolean tb = (flags & 2) != 0;
                boolean accumulate = (flags & 4) != 0;
                int ra = ta ? k : m;
                int ca = ta ? m : k;
                int rb = tb ? n : k;
                int cb = tb ? k : n;
                float[] a = signed(ra * ca);
                float[] b = signed(rb * cb);
                float[] prior = signed(m * n);
                DenseMatrix c = accumulate ? backend.upload(prior, m, n) : garbage(m, n);
                backend.gemm(backend.upload(a, ra, ca), ta, backend.upload(b, rb, cb), tb, c, accumulate);
                Expected expected = ReferenceOps.gemm(new HostMatrix(ra, ca, a), ta, new HostMatrix(rb, cb, b), tb);
                Tolerance.assertMatches(
                        "gemm " + Arrays.toString(shape) + " flags " + flags,
                        accumulate ? expected.plus(new HostMatrix(m, n, prior)) : expected,
                        backend.download(c));
            }
        }
    }

    @Test
    void gemmWithAnEmptyInnerDimensionGivesZeroOrLeavesC() {
        DenseMatrix a = backend.zeros(5, 0);
        DenseMatrix b = backend.zeros(3, 0);
        DenseMatrix c = garbage(5, 3);
        backend.gemm(a, false, b, true, c, false);
        assertArrayEquals(new float[15], backend.download(c));
        float[] prior = signed(15);
        DenseMatrix accumulated = backend.upload(prior, 5, 3);
        backend.gemm(a, false, b, true, accumulated, true);
        assertArrayEquals(prior, backend.download(accumulated));
    }

    @Test
    void perRowKernelsWithPartialWorkGroups() {
        int rows = 100;
        int columns = 37;
        float[] x = signed(rows * columns);
        float[] gamma = signed(columns);
        float[] beta = signed(columns);
        DenseMatrix y = garbage(rows, columns);
        DenseMatrix mean = garbage(1, rows);
        DenseMatrix rstd = garbage(1, rows);
        backend.layerNorm(
                backend.upload(x, rows, columns),
                backend.upload(gamma, 1, columns),
                backend.upload(beta, 1, columns),
                1e-5f,
                y,
                mean,
                rstd);
        Tolerance.assertMatches(
                "layerNorm y",
                ReferenceLayerNorm.forward(new HostMatrix(rows, columns, x), gamma, beta, 1e-5f)
                        .y(),
                backend.download(y));

        int classes = 1000;
        float[] logits = signed(rows * classes);
        for (int i = 0; i < logits.length; i++) {
            logits[i] *= 20;
        }
        int[] labels = new int[rows];
        Arrays.setAll(labels, r -> (r * 37) % classes);
        DenseMatrix probabilities = garbage(rows, classes);
        DenseMatrix loss = garbage(1, 1);
        backend.softmaxCrossEntropy(backend.upload(logits, rows, classes), labels, probabilities, loss);
        ReferenceLosses.Softmax expected =
                ReferenceLosses.softmaxCrossEntropy(new HostMatrix(rows, classes, logits), labels);
        Tolerance.assertMatches("softmax", expected.probabilities(), backend.download(probabilities));
        Tolerance.assertMatches("cross-entropy", expected.loss(), backend.download(loss));
    }

    @Test
    void longColumnSumsAndSquaredErrorOverManyWorkGroups() {
        int rows = 1000;
        int columns = 30;
        float[] x = signed(rows * columns);
        DenseMatrix sums = garbage(1, columns);
        DenseMatrix deviceX = backend.upload(x, rows, columns);
        backend.columnSums(deviceX, sums, false);
        Tolerance.assertMatches(
                "columnSums", ReferenceOps.columnSums(new HostMatrix(rows, columns, x)), backend.download(sums));

        float[] target = signed(rows * columns);
        DenseMatrix loss = garbage(1, 1);
        backend.squaredError(deviceX, backend.upload(target, rows, columns), 0.5f, loss);
        double expected = 0;
        for (int i = 0; i < x.length; i++) {
            expected += 0.5 * (x[i] - target[i]) * (x[i] - target[i]);
        }
        assertEquals(expected, backend.download(loss)[0], 1e-4 * expected);
    }

    @Test
    void argmaxIgnoresNanAndTakesTheFirstOfEqualValues() {
        float nan = Float.NaN;
        float inf = Float.POSITIVE_INFINITY;
        float[] rows = {nan, 1, 3, 3, nan, nan, nan, nan, -inf, -inf, -inf, -inf, 2, nan, 7, inf, 5, 5, nan, 5};
        assertArrayEquals(new int[] {2, 0, 0, 3, 0}, backend.argmaxRows(backend.upload(rows, 5, 4)));

        int batch = 100;
        int classes = 300;
        float[] scores = signed(batch * classes);
        int[] expected = new int[batch];
        for (int r = 0; r < batch; r++) {
            for (int c = 1; c < classes; c++) {
                if (scores[r * classes + c] > scores[r * classes + expected[r]]) {
                    expected[r] = c;
                }
            }
        }
        assertArrayEquals(expected, backend.argmaxRows(backend.upload(scores, batch, classes)));
    }

    @ParameterizedTest(name = "k = {0}")
    @ValueSource(ints = {0, 1, 700, 2999, 3000})
    void kWinnersOnLongRowsWithTies(int k) {
        int rows = 5;
        int columns = 3000;
        float[] x = new float[rows * columns];
        for (int i = 0; i < x.length; i++) {
            x[i] = random.nextInt(40) / 8f - 2;
        }
        x[7] = Float.NaN;
        x[columns + 11] = -0f;
        float[] boost = new float[columns];
        for (int c = 0; c < columns; c++) {
            boost[c] = c % 3 == 0 ? 1f : 0.5f;
        }
        DenseMatrix y = garbage(rows, columns);
        DenseMatrix mask = garbage(rows, columns);
        backend.kWinners(backend.upload(x, rows, columns), backend.upload(boost, 1, columns), k, y, mask);

        float[] expectedY = new float[x.length];
        float[] expectedMask = new float[x.length];
        for (int r = 0; r < rows; r++) {
            final int row = r;
            Integer[] order = new Integer[columns];
            Arrays.setAll(order, c -> c);
            Arrays.sort(order, (a, b) -> {
                int byScore = Integer.compare(
                        RunningTopK.rank(x[row * columns + b] * boost[b]),
                        RunningTopK.rank(x[row * columns + a] * boost[a]));
                return byScore != 0 ? byScore : Integer.compare(a, b);
            });
            for (int j = 0; j < k; j++) {
                int i = r * columns + order[j];
                expectedY[i] = x[i];
                expectedMask[i] = 1;
            }
        }
        assertArrayEquals(expectedMask, backend.download(mask), "mask");
        assertArrayEquals(expectedY, backend.download(y), "y");
    }

    @Test
    void describesItsDevice() {
        String description = backend.description();
        assertTrue(description.startsWith("OpenCL on " + backend.deviceName()), description);
        assertTrue(description.contains("on the host"), description);
        assertEquals("opencl", backend.name());
    }

    @Test
    void aKernelThatDoesNotCompileReportsTheBuildLog() {
        try (OpenClContext context =
                OpenClContext.open(DeviceSelector.select(OpenClProbe.discover().devices()))) {
            OpenClException e = assertThrows(
                    OpenClException.class,
                    () -> KernelProgram.build(
                            context,
                            "-cl-std=CL1.2",
                            List.of("broken.cl"),
                            List.of("__kernel void broken(__global float* x) { x[0] = not_declared; }"),
                            List.of()));
            assertEquals(-11, e.status(), "CL_BUILD_PROGRAM_FAILURE");
            assertTrue(e.getMessage().contains("build log"), e.getMessage());
            assertTrue(e.getMessage().contains("not_declared"), e.getMessage());
            assertTrue(e.getMessage().contains("broken.cl"), e.getMessage());
        }
    }

    /** The kernel of the probe program below, as a backend would declare it. */
    private record Declared(String symbol, List<KernelParameter> parameters) implements KernelSignature {}

    private static final String PROBE =
            "__kernel void one(__global float* x, int n) { if (get_global_id(0) < n) x[0] = 1.0f; }";

    @Test
    void aKernelDeclaredWithOtherParametersThanItsSourceIsRefusedAtBuild() {
        try (OpenClContext context =
                OpenClContext.open(DeviceSelector.select(OpenClProbe.discover().devices()))) {
            BackendException e = assertThrows(
                    BackendException.class,
                    () -> KernelProgram.build(
                            context,
                            "",
                            List.of("probe.cl"),
                            List.of(PROBE),
                            List.of(new Declared("one", KernelParameter.parse("PF")))));
            assertTrue(e.getMessage().contains("kernel one declares the parameters [BUFFER, INT]"), e.getMessage());
            assertTrue(e.getMessage().contains("the backend passes [BUFFER, FLOAT]"), e.getMessage());

            BackendException missing = assertThrows(
                    BackendException.class,
                    () -> KernelProgram.build(
                            context,
                            "",
                            List.of("probe.cl"),
                            List.of(PROBE),
                            List.of(new Declared("two", KernelParameter.parse("P")))));
            assertTrue(
                    missing.getMessage()
                            .contains("kernel two is declared by the backend but not in the compiled " + "program"),
                    missing.getMessage());
        }
    }

    @Test
    void aLaunchIsCheckedAgainstTheDeclaredParametersAndAFailedOneNamesTheCall() {
        Declared one = new Declared("one", KernelParameter.parse("PI"));
        try (OpenClContext context = OpenClContext.open(
                        DeviceSelector.select(OpenClProbe.discover().devices()));
                KernelProgram program =
                        KernelProgram.build(context, "", List.of("probe.cl"), List.of(PROBE), List.of(one))) {
            IllegalStateException mismatch = assertThrows(
                    IllegalStateException.class,
                    () -> program.launch(
                            new KernelArgs<cl_mem>(one).integer(1).integer(1), new long[] {16}, new long[] {16}));
            assertEquals("one: parameter 0 is a BUFFER, the launch passes a INT", mismatch.getMessage());

            cl_mem buffer = context.createBuffer(64);
            try {
                long tooLarge = 1L << 20;
                OpenClException e = assertThrows(
                        OpenClException.class,
                        () -> program.launch(
                                new KernelArgs<cl_mem>(one).buffer(buffer).integer(1),
                                new long[] {tooLarge},
                                new long[] {tooLarge}));
                assertTrue(
                        e.getMessage().startsWith("clEnqueueNDRangeKernel(one, global [" + tooLarge + "]"),
                        e.getMessage());
                assertTrue(e.status() < 0, "an OpenCL error status: " + e.status());
                assertTrue(e.getMessage().endsWith(OpenClException.statusName(e.status())), e.getMessage());
            } finally {
                context.releaseBuffer(buffer);
            }
        }
    }

    @Test
    void afterCloseMatricesAreUnusableAndMemoryIsReleased() {
        OpenClBackend other = new OpenClBackend();
        DenseMatrix kept = other.upload(new float[] {1, 2, 3}, 1, 3);
        DenseMatrix pooled = other.zeros(4, 4);
        pooled.close();
        assertTrue(other.memoryUsage().bytesInUse() > 0 && other.memoryUsage().bytesPooled() > 0);

        other.close();
        other.close();

        assertEquals(0, other.memoryUsage().bytesInUse());
        assertEquals(0, other.memoryUsage().bytesPooled());
        assertThrows(IllegalStateException.class, () -> other.download(kept));
        assertThrows(IllegalStateException.class, () -> other.zeros(1, 1));
        kept.close();
    }

    @Test
    void memoryFiguresFollowThePool() {
        long available = backend.availableBytes();
        DenseMatrix matrix = backend.zeros(1000, 1000);
        assertEquals(available - DeviceBufferPool.sizeClass(4_000_000), backend.availableBytes());
        matrix.close();
        assertEquals(available, backend.availableBytes());
        assertFalse(backend.usesHostMemory());

        long before = backend.memoryUsage().bytesInUse();
        Connectivity pattern = Patterns.skewed();
        backend.pattern(pattern);
        assertEquals(
                backend.patternBytes(pattern.rows(), pattern.columns(), pattern.nnz()),
                backend.memoryUsage().bytesInUse() - before);
    }

    @Test
    void aMatrixLargerThanTheDevicesLargestBufferIsRefusedBeforeAllocating() {
        long largest = OpenClProbe.discover().devices().get(0).maxAllocation();
        Assumptions.assumeTrue(largest < 4L * 46_341 * 46_340, "this device takes 8 GiB in one buffer");
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> backend.zeros(46_341, 46_340));
        assertTrue(e.getMessage().contains("CL_DEVICE_MAX_MEM_ALLOC_SIZE"), e.getMessage());
        assertTrue(e.getMessage().contains("zeros (46341, 46340)"), e.getMessage());
    }

    @Test
    void closingAMatrixReturnsItsBufferForReuse() {
        long created = backend.memoryUsage().buffersCreated();
        DenseMatrix first = backend.zeros(123, 45);
        first.close();
        long afterFirst = backend.memoryUsage().buffersCreated();
        DenseMatrix second = backend.zeros(45, 123);
        assertEquals(afterFirst, backend.memoryUsage().buffersCreated(), "same size class, reused");
        assertTrue(afterFirst - created <= 1);
        second.close();
    }
}
