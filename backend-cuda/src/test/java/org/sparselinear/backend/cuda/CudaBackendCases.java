package org.sparselinear.backend.cuda;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import java.util.Random;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;
import org.sparselinear.api.Connectivity;
import org.sparselinear.api.DenseMatrix;
import org.sparselinear.api.MemoryScope;
import org.sparselinear.api.SparseMatrix;
import org.sparselinear.device.DeviceTopK;
import org.sparselinear.tck.reference.Expected;
import org.sparselinear.tck.reference.HostMatrix;
import org.sparselinear.tck.reference.Patterns;
import org.sparselinear.tck.reference.ReferenceOps;
import org.sparselinear.tck.reference.ReferenceSparsityOps;
import org.sparselinear.tck.reference.TestData;
import org.sparselinear.tck.reference.Tolerance;

/**
 * What the conformance kit does not reach, for the CUDA kernels: batches across the sparse kernels' lane counts
 * (1, 2, 5, 33, 100, 129, 300: warp rows, block rows with split entries, several batch chunks, SDDMM lane groups),
 * multi-tile GEMM in every transpose combination, K-Winners on 50,000-wide rows, RigL's grow step across several
 * row blocks, per-row kernels over many row blocks, transposition of tall and wide matrices (past 65,535 tiles),
 * argmax with NaN. Run on the CPU emulator here and on the GPU where there is one.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
abstract class CudaBackendCases {

    private CudaBackend backend;
    private MemoryScope scope;
    private final Random random = new Random(11);
    private final TestData data = new TestData(11);

    /** The backend under test, created once. */
    abstract CudaBackend createBackend();

    CudaBackend backend() {
        return backend;
    }

    @BeforeAll
    void create() {
        backend = createBackend();
    }

    @AfterAll
    void close() {
        if (backend != null) {
            backend.close();
        }
    }

    @BeforeEach
    void openScope() {
        scope = backend.newScope();
    }

    @AfterEach
    void closeScope() {
        scope.close();
    }

    private DenseMatrix upload(float[] values, int rows, int columns) {
        return backend.upload(values, rows, columns);
    }

    private DenseMatrix garbage(int rows, int columns) {
        float[] nan = new float[rows * columns];
        Arrays.fill(nan, Float.NaN);
        return backend.upload(nan, rows, columns);
    }

    @ParameterizedTest(name = "batch {0}")
    @ValueSource(ints = {1, 2, 5, 33, 100, 129, 300})
    void sparseProductsMatchTheReferenceAtEveryBatchSize(int batch) {
        Connectivity pattern = Patterns.skewed();
        SparseMatrix weight = backend.pattern(pattern);
        float[] values = data.signed(pattern.nnz());
        float[] x = data.signed(batch * pattern.columns());
        float[] dy = data.signed(batch * pattern.rows());
        DenseMatrix deviceValues = upload(values, 1, pattern.nnz());
        DenseMatrix deviceX = upload(x, batch, pattern.columns());
        DenseMatrix deviceDy = upload(dy, batch, pattern.rows());

        DenseMatrix y = garbage(batch, pattern.rows());
        backend.spmm(weight, deviceValues, deviceX, y);
        Tolerance.assertMatches(
                "spmm",
                ReferenceOps.spmm(pattern, values, new HostMatrix(batch, pattern.columns(), x)),
                backend.download(y));

        DenseMatrix dx = garbage(batch, pattern.columns());
        backend.spmmTransposed(weight, deviceValues, deviceDy, dx, false);
        Expected dxExpected = ReferenceOps.spmmTransposed(pattern, values, new HostMatrix(batch, pattern.rows(), dy));
        Tolerance.assertMatches("spmmTransposed", dxExpected, backend.download(dx));
        float[] prior = data.signed(batch * pattern.columns());
        DenseMatrix accumulated = upload(prior, batch, pattern.columns());
        backend.spmmTransposed(weight, deviceValues, deviceDy, accumulated, true);
        Tolerance.assertMatches(
                "spmmTransposed accumulate",
                dxExpected.plus(new HostMatrix(batch, pattern.columns(), prior)),
                backend.download(accumulated));

        DenseMatrix dValues = garbage(1, pattern.nnz());
        backend.sddmm(weight, deviceDy, deviceX, dValues, false);
        Expected dvExpected = ReferenceOps.sddmm(
                pattern, new HostMatrix(batch, pattern.rows(), dy), new HostMatrix(batch, pattern.columns(), x));
        Tolerance.assertMatches("sddmm", dvExpected, backend.download(dValues));
        float[] priorValues = data.signed(pattern.nnz());
        DenseMatrix dValuesAccumulated = upload(priorValues, 1, pattern.nnz());
        backend.sddmm(weight, deviceDy, deviceX, dValuesAccumulated, true);
        Tolerance.assertMatches(
                "sddmm accumulate",
                dvExpected.plus(HostMatrix.vector(priorValues)),
                backend.download(dValuesAccumulated));
    }

    @Test
    void aBatchOfOneWithLongRowsSpreadsEachRowOverABlock() {
        Connectivity pattern = Patterns.random(40, 6000, 0.05, 12);
        SparseMatrix weight = backend.pattern(pattern);
        float[] values = data.signed(pattern.nnz());
        float[] x = data.signed(pattern.columns());
        DenseMatrix y = garbage(1, pattern.rows());
        backend.spmm(weight, upload(values, 1, pattern.nnz()), upload(x, 1, pattern.columns()), y);
        Tolerance.assertMatches(
                "spmm, batch 1, rows of ~300",
                ReferenceOps.spmm(pattern, values, HostMatrix.vector(x)),
                backend.download(y));
    }

    @ParameterizedTest(name = "({0} x {1}) times ({1} x {2}), transposeA {3}, transposeB {4}, accumulate {5}")
    @CsvSource({
        "130, 200, 70, false, false, false", "130, 200, 70, true, false, true", "130, 200, 70, false, true, false",
        "130, 200, 70, true, true, true", "1, 1000, 65, false, true, false", "257, 3, 129, true, false, false",
        "64, 17, 64, false, false, true", "65, 1, 1, true, true, false"
    })
    void gemmCoversSeveralTilesInEveryTransposeCombination(
            int m, int k, int n, boolean transposeA, boolean transposeB, boolean accumulate) {
        int aRows = transposeA ? k : m;
        int aColumns = transposeA ? m : k;
        int bRows = transposeB ? n : k;
        int bColumns = transposeB ? k : n;
        float[] a = data.signed(aRows * aColumns);
        float[] b = data.signed(bRows * bColumns);
        float[] prior = data.signed(m * n);
        DenseMatrix c = accumulate ? upload(prior, m, n) : garbage(m, n);
        backend.gemm(upload(a, aRows, aColumns), transposeA, upload(b, bRows, bColumns), transposeB, c, accumulate);
        Expected expected = ReferenceOps.gemm(
                new HostMatrix(aRows, aColumns, a), transposeA, new HostMatrix(bRows, bColumns, b), transposeB);
        Tolerance.assertMatches(
                "gemm", accumulate ? expected.plus(new HostMatrix(m, n, prior)) : expected, backend.download(c));
    }

    @ParameterizedTest(name = "k = {0}")
    @ValueSource(ints = {0, 1, 12_345, 49_999, 50_000})
    void kWinnersHandlesRowsOfFiftyThousandWithTies(int k) {
        int rows = 3;
        int columns = 50_000;
        float[] x = new float[rows * columns];
        for (int i = 0; i < x.length; i++) {
            x[i] = random.nextInt(7) - 3 + (random.nextInt(10) == 0 ? Float.NaN : 0f);
        }
        float[] boost = new float[columns];
        for (int c = 0; c < columns; c++) {
            boost[c] = 1 + random.nextInt(3) * 0.5f;
        }
        DenseMatrix y = garbage(rows, columns);
        DenseMatrix mask = garbage(rows, columns);
        DenseMatrix deviceX = upload(x, rows, columns);
        backend.kWinners(deviceX, upload(boost, 1, columns), k, y, mask);

        float[] expectedMask = ReferenceSparsityOps.kWinners(
                        new HostMatrix(rows, columns, x), HostMatrix.vector(boost), k)
                .mask();
        float[] actualMask = backend.download(mask);
        assertArrayEquals(expectedMask, actualMask, "kWinners mask");
        float[] actualY = backend.download(y);
        for (int i = 0; i < x.length; i++) {
            float expected = expectedMask[i] == 1f ? x[i] : 0f;
            assertTrue(
                    Float.compare(expected, actualY[i]) == 0 || (expected == 0f && actualY[i] == 0f),
                    "kWinners y at " + i + ": expected " + expected + ", got " + actualY[i]);
        }
    }

    @Test
    void topKAbsDenseGradientAcrossSeveralRowBlocksIsExact() {
        int batch = 3;
        int out = 700;
        int in = 3000;
        Connectivity pattern = Patterns.random(out, in, 0.01, 13);
        float[] dy = data.smallIntegers(batch * out, 2);
        float[] x = data.smallIntegers(batch * in, 2);
        int k = 20_000;
        int[][] actual =
                backend.topKAbsDenseGradient(upload(dy, batch, out), upload(x, batch, in), backend.pattern(pattern), k);
        int[][] expected = ReferenceSparsityOps.exactTopK(
                pattern, new HostMatrix(batch, out, dy), new HostMatrix(batch, in, x), k);
        assertEquals(3, LaunchConfig.ceilDiv(out, DeviceTopK.blockRows(out, in)), "row blocks");
        assertArrayEquals(expected[0], actual[0], "rows of the grown positions");
        assertArrayEquals(expected[1], actual[1], "columns of the grown positions");
    }

    @Test
    void topKAbsDenseGradientWithMoreThanTheEmptyPositions() {
        Connectivity pattern = Patterns.random(30, 40, 0.5, 14);
        float[] dy = data.smallIntegers(2 * 30, 3);
        float[] x = data.smallIntegers(2 * 40, 3);
        int[][] actual =
                backend.topKAbsDenseGradient(upload(dy, 2, 30), upload(x, 2, 40), backend.pattern(pattern), 5000);
        int[][] expected =
                ReferenceSparsityOps.exactTopK(pattern, new HostMatrix(2, 30, dy), new HostMatrix(2, 40, x), 5000);
        assertEquals(30 * 40 - pattern.nnz(), actual[0].length);
        assertArrayEquals(expected[0], actual[0]);
        assertArrayEquals(expected[1], actual[1]);
    }

    @ParameterizedTest(name = "({0}, {1})")
    @CsvSource({"33, 65", "1000, 3", "3, 1000", "1, 7", "7, 1", "64, 64", "2, 2100000", "2100000, 2"})
    void uploadAndDownloadKeepTheRowMajorOrder(int rows, int columns) {
        float[] data = new float[rows * columns];
        for (int i = 0; i < data.length; i++) {
            data[i] = i;
        }
        DenseMatrix matrix = upload(data, rows, columns);
        assertArrayEquals(data, backend.download(matrix));
        DenseMatrix copy = backend.zeros(rows, columns);
        backend.copy(matrix, copy);
        matrix.close();
        assertArrayEquals(data, backend.download(copy));
    }

    @Test
    void layerNormOverManyRowBlocksAndLongRows() {
        for (int[] shape : new int[][] {{1000, 3}, {3, 5000}, {37, 129}}) {
            int rows = shape[0];
            int features = shape[1];
            float[] x = data.signed(rows * features);
            float[] gamma = data.signed(features);
            float[] beta = data.signed(features);
            DenseMatrix y = garbage(rows, features);
            DenseMatrix mean = garbage(1, rows);
            DenseMatrix rstd = garbage(1, rows);
            backend.layerNorm(
                    upload(x, rows, features),
                    upload(gamma, 1, features),
                    upload(beta, 1, features),
                    1e-5f,
                    y,
                    mean,
                    rstd);
            float[] actual = backend.download(y);
            float[] actualMean = backend.download(mean);
            for (int r = 0; r < rows; r++) {
                double sum = 0;
                double magnitude = 0;
                for (int f = 0; f < features; f++) {
                    sum += x[r * features + f];
                    magnitude += Math.abs(x[r * features + f]);
                }
                double mu = sum / features;
                assertEquals(mu, actualMean[r], 1e-5 * magnitude / features + 1e-6, "mean of row " + r);
                double squares = 0;
                for (int f = 0; f < features; f++) {
                    squares += Math.pow(x[r * features + f] - mu, 2);
                }
                double inverse = 1 / Math.sqrt(squares / features + 1e-5);
                for (int f = 0; f < features; f++) {
                    double expected = (x[r * features + f] - mu) * inverse * gamma[f] + beta[f];
                    assertEquals(
                            expected,
                            actual[r * features + f],
                            1e-4 * (Math.abs(expected) + 2),
                            "layerNorm (" + r + ", " + f + ") of " + rows + " x " + features);
                }
            }
        }
    }

    @Test
    void softmaxCrossEntropyAndSquaredErrorOverManyRows() {
        int rows = 1000;
        int classes = 10;
        float[] logits = data.signed(rows * classes);
        int[] labels = new int[rows];
        double expectedLoss = 0;
        for (int r = 0; r < rows; r++) {
            labels[r] = random.nextInt(classes);
            double sum = 0;
            for (int c = 0; c < classes; c++) {
                sum += Math.exp(logits[r * classes + c]);
            }
            expectedLoss += Math.log(sum) - logits[r * classes + labels[r]];
        }
        DenseMatrix loss = garbage(1, 1);
        backend.softmaxCrossEntropy(upload(logits, rows, classes), labels, garbage(rows, classes), loss);
        assertEquals(expectedLoss / rows, backend.download(loss)[0], 1e-4 * expectedLoss / rows);

        int n = 100_000;
        float[] prediction = data.signed(n);
        float[] target = data.signed(n);
        double squares = 0;
        for (int i = 0; i < n; i++) {
            squares += Math.pow(prediction[i] - target[i], 2);
        }
        DenseMatrix squaredLoss = garbage(1, 1);
        backend.squaredError(upload(prediction, 400, 250), upload(target, 400, 250), 0.5f, squaredLoss);
        assertEquals(0.5 * squares, backend.download(squaredLoss)[0], 1e-4 * squares);
    }

    @Test
    void columnSumsOverALongBatch() {
        int rows = 1000;
        int columns = 21;
        float[] x = data.signed(rows * columns);
        DenseMatrix sums = garbage(1, columns);
        backend.columnSums(upload(x, rows, columns), sums, false);
        float[] actual = backend.download(sums);
        for (int c = 0; c < columns; c++) {
            double sum = 0;
            for (int r = 0; r < rows; r++) {
                sum += x[r * columns + c];
            }
            assertEquals(sum, actual[c], 1e-5 * rows, "column " + c);
        }
    }

    @Test
    void argmaxIgnoresNaNAndTakesTheFirstOfTies() {
        float nan = Float.NaN;
        float[] x = {nan, 1, 3, 3, nan, nan, nan, nan, -1, -1, -2, nan, 0, 5, nan, 5};
        assertArrayEquals(new int[] {2, 0, 0, 1}, backend.argmaxRows(upload(x, 4, 4)));
        int rows = 300;
        int columns = 700;
        float[] wide = data.signed(rows * columns);
        int[] expected = new int[rows];
        for (int r = 0; r < rows; r++) {
            for (int c = 1; c < columns; c++) {
                if (wide[r * columns + c] > wide[r * columns + expected[r]]) {
                    expected[r] = c;
                }
            }
        }
        assertArrayEquals(expected, backend.argmaxRows(upload(wide, rows, columns)));
    }

    @Test
    void gatherAndOptimizersOnLongVectors() {
        int n = 300_000;
        float[] source = data.signed(n);
        int[] positions = new int[n + 5];
        for (int j = 0; j < positions.length; j++) {
            positions[j] = j % 7 == 0 ? -1 : random.nextInt(n);
        }
        DenseMatrix target = garbage(1, positions.length);
        backend.gather(upload(source, 1, n), positions, target);
        float[] actual = backend.download(target);
        for (int j = 0; j < positions.length; j++) {
            assertEquals(positions[j] < 0 ? 0f : source[positions[j]], actual[j], "gathered element " + j);
        }
    }

    @Test
    void useAfterCloseFailsClearly() {
        CudaBackend other = createBackend();
        DenseMatrix matrix = other.zeros(2, 3);
        other.close();
        other.close();
        assertTrue(other.isClosed());
        assertThrows(IllegalStateException.class, () -> other.download(matrix));
        assertThrows(IllegalStateException.class, () -> other.zeros(2, 2));
    }
}
