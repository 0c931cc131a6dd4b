package org.sparselinear.backend.cpu;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.SplittableRandom;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.sparselinear.api.Connectivity;
import org.sparselinear.tck.reference.Patterns;

/**
 * The batch kernels of {@link SparseKernels} on both of their input-gradient forms, against a
 * plain reference on feature-major data: the scatter along the CSR rows (per-thread buffers) and
 * the CSC gather it falls back to when those buffers would be too large, at batches that hit every
 * block and tail of the vector loops, with and without accumulation. The rows hold 20 to 40
 * entries, so the SDDMM sums full groups of 16 entries and shorter tails.
 */
class SparseKernelsBatchTest {

    private static final int OUT = 70;
    private static final int IN = 1500;

    private static CpuBackend backend;
    private static WorkerPool pool;

    @BeforeAll
    static void start() {
        backend = new CpuBackend(3, true);
        pool = new WorkerPool(3);
    }

    @AfterAll
    static void stop() {
        pool.close();
        backend.close();
    }

    @ParameterizedTest(name = "batch {0}")
    @ValueSource(ints = {8, 15, 16, 63, 64, 65, 130})
    void inputGradientScattersOrGathersAlikeAndMatchesTheReference(int batch) {
        Connectivity connectivity = Patterns.random(OUT, IN, 0.02, 41);
        CpuSparseMatrix w = (CpuSparseMatrix) backend.pattern(connectivity);
        SplittableRandom random = new SplittableRandom(batch);
        float[] values = signed(connectivity.nnz(), random);
        float[] dy = signed(OUT * batch, random);
        float[] prior = signed(IN * batch, random);
        for (RowKernels rows : new RowKernels[] {new VectorRowKernels(), new ScalarRowKernels()}) {
            SparseKernels scattering = new SparseKernels(pool, rows);
            SparseKernels gathering = new SparseKernels(pool, rows, 0);
            assertTrue(scattering.scatters(w, batch), "buffers of " + IN * batch * 4 + " bytes fit the floor");
            assertFalse(gathering.scatters(w, batch), "without a floor, the buffers outgrow the CSC form");
            for (boolean accumulate : new boolean[] {false, true}) {
                float[] expected = inputGradient(connectivity, values, dy, batch, accumulate ? prior : null);
                for (SparseKernels kernels : new SparseKernels[] {scattering, gathering}) {
                    float[] dx = accumulate ? prior.clone() : garbage(IN * batch);
                    kernels.spmmTransposed(w, values, dy, dx, batch, accumulate);
                    assertClose(expected, dx, rows.getClass().getSimpleName() + " accumulate=" + accumulate);
                }
            }
        }
    }

    @ParameterizedTest(name = "batch {0}")
    @ValueSource(ints = {8, 15, 16, 63, 64, 65, 130})
    void weightGradientMatchesTheReference(int batch) {
        Connectivity connectivity = Patterns.random(OUT, IN, 0.02, 43);
        CpuSparseMatrix w = (CpuSparseMatrix) backend.pattern(connectivity);
        SplittableRandom random = new SplittableRandom(batch + 1000);
        float[] dy = signed(OUT * batch, random);
        float[] x = signed(IN * batch, random);
        float[] prior = signed(connectivity.nnz(), random);
        for (RowKernels rows : new RowKernels[] {new VectorRowKernels(), new ScalarRowKernels()}) {
            SparseKernels kernels = new SparseKernels(pool, rows);
            for (boolean accumulate : new boolean[] {false, true}) {
                float[] dValues = accumulate ? prior.clone() : garbage(connectivity.nnz());
                kernels.sddmm(w, dy, x, dValues, batch, accumulate);
                float[] expected = new float[connectivity.nnz()];
                for (int o = 0; o < OUT; o++) {
                    for (int k = connectivity.rowPointers()[o]; k < connectivity.rowPointers()[o + 1]; k++) {
                        double sum = accumulate ? prior[k] : 0;
                        for (int b = 0; b < batch; b++) {
                            sum += (double) dy[o * batch + b] * x[connectivity.column(k) * batch + b];
                        }
                        expected[k] = (float) sum;
                    }
                }
                assertClose(expected, dValues, rows.getClass().getSimpleName() + " accumulate=" + accumulate);
            }
        }
    }

    /** {@code dx[i, b] = (prior) + sum over entries (o, i, w) of w * dy[o, b]}, feature-major, in doubles. */
    private static float[] inputGradient(Connectivity c, float[] values, float[] dy, int batch, float[] prior) {
        double[] sums = new double[IN * batch];
        if (prior != null) {
            for (int i = 0; i < sums.length; i++) {
                sums[i] = prior[i];
            }
        }
        for (int o = 0; o < OUT; o++) {
            for (int k = c.rowPointers()[o]; k < c.rowPointers()[o + 1]; k++) {
                for (int b = 0; b < batch; b++) {
                    sums[c.column(k) * batch + b] += (double) values[k] * dy[o * batch + b];
                }
            }
        }
        float[] dx = new float[sums.length];
        for (int i = 0; i < dx.length; i++) {
            dx[i] = (float) sums[i];
        }
        return dx;
    }

    private static void assertClose(float[] expected, float[] actual, String what) {
        assertEquals(expected.length, actual.length, what + ": length");
        for (int i = 0; i < expected.length; i++) {
            assertEquals(expected[i], actual[i], 1e-4f * (1 + Math.abs(expected[i])), what + ": element " + i);
        }
    }

    private static float[] signed(int n, SplittableRandom random) {
        float[] a = new float[n];
        for (int i = 0; i < n; i++) {
            a[i] = (float) random.nextDouble(-1, 1);
        }
        return a;
    }

    /** An output that must be overwritten: NaN everywhere. */
    private static float[] garbage(int n) {
        float[] a = new float[n];
        java.util.Arrays.fill(a, Float.NaN);
        return a;
    }
}
