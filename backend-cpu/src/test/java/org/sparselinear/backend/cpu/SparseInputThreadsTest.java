package org.sparselinear.backend.cpu;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;

import java.util.Arrays;
import java.util.function.BiConsumer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.sparselinear.api.Backend;
import org.sparselinear.api.Connectivity;
import org.sparselinear.api.DenseMatrix;
import org.sparselinear.tck.reference.Expected;
import org.sparselinear.tck.reference.HostMatrix;
import org.sparselinear.tck.reference.Patterns;
import org.sparselinear.tck.reference.ReferenceSparseInput;
import org.sparselinear.tck.reference.TestData;
import org.sparselinear.tck.reference.Tolerance;

/**
 * The sparse-input kernels split their work between threads only above a size the kit's cases
 * stay below for the sparse weight; on a text-sized batch (256 rows of 8,000 features with 11
 * non-zeros each, into 400 outputs at 85 % sparsity), every output element is still computed by
 * one thread in the same order, so four threads must give exactly what one gives, and both
 * must match the reference.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class SparseInputThreadsTest {

    private static final int BATCH = 256;
    private static final int FEATURES = 8000;
    private static final int OUTPUTS = 400;

    private final Connectivity input = Patterns.zipfRows(BATCH, FEATURES, 11, 1);
    private final Connectivity weight = Patterns.random(OUTPUTS, FEATURES, 0.15, 2);
    private final TestData data = new TestData(3);
    private final float[] xValues = data.signed(input.nnz());
    private final float[] weightValues = data.signed(weight.nnz());
    private final HostMatrix denseWeight = data.signed(OUTPUTS, FEATURES);
    private final HostMatrix dy = data.signed(BATCH, OUTPUTS);
    private final HostMatrix priorDenseGradient = data.signed(OUTPUTS, FEATURES);
    private final HostMatrix priorSparseGradient = HostMatrix.vector(data.signed(weight.nnz()));
    private final HostMatrix priorInputGradient = HostMatrix.vector(data.signed(input.nnz()));

    private Backend oneThread;
    private Backend fourThreads;

    @BeforeAll
    void createBackends() {
        oneThread = new CpuBackend(1, true);
        fourThreads = new CpuBackend(4, true);
    }

    @AfterAll
    void closeBackends() {
        oneThread.close();
        fourThreads.close();
    }

    /**
     * Runs {@code operation} (given the backend and an output holding {@code prior}) on one and
     * on four threads: the results must be equal, and match the reference {@code expected} (plus
     * the prior when accumulating).
     */
    private void check(
            String what,
            Expected expected,
            HostMatrix prior,
            boolean accumulate,
            BiConsumer<Backend, DenseMatrix> operation) {
        float[] four = run(fourThreads, prior.values(), prior.rows(), prior.columns(), operation);
        assertArrayEquals(run(oneThread, prior.values(), prior.rows(), prior.columns(), operation), four, what);
        Tolerance.assertMatches(what, accumulate ? expected.plus(prior) : expected, four);
    }

    private static float[] run(
            Backend backend, float[] prior, int rows, int columns, BiConsumer<Backend, DenseMatrix> operation) {
        DenseMatrix output = backend.upload(prior, rows, columns);
        operation.accept(backend, output);
        return backend.download(output);
    }

    private DenseMatrix x(Backend b) {
        return vector(b, xValues);
    }

    @Test
    void forwardProducts() {
        float[] nan = new float[BATCH * OUTPUTS];
        Arrays.fill(nan, Float.NaN);
        HostMatrix garbage = new HostMatrix(BATCH, OUTPUTS, nan);
        check(
                "sparseInputDense",
                ReferenceSparseInput.denseForward(input, xValues, denseWeight),
                garbage,
                false,
                (b, y) -> b.sparseInputDense(b.pattern(input), x(b), upload(b, denseWeight), y));
        check(
                "sparseInputSparse",
                ReferenceSparseInput.sparseForward(input, xValues, weight, weightValues),
                garbage,
                false,
                (b, y) -> b.sparseInputSparse(b.pattern(input), x(b), b.pattern(weight), vector(b, weightValues), y));
    }

    @Test
    void weightGradients() {
        for (boolean accumulate : new boolean[] {false, true}) {
            check(
                    "sparseInputDenseWeightGradient, accumulate=" + accumulate,
                    ReferenceSparseInput.denseWeightGradient(input, xValues, dy),
                    priorDenseGradient,
                    accumulate,
                    (b, dWeight) -> b.sparseInputDenseWeightGradient(
                            b.pattern(input), x(b), upload(b, dy), dWeight, accumulate));
            check(
                    "sparseInputSparseWeightGradient, accumulate=" + accumulate,
                    ReferenceSparseInput.sparseWeightGradient(input, xValues, weight, dy),
                    priorSparseGradient,
                    accumulate,
                    (b, dValues) -> b.sparseInputSparseWeightGradient(
                            b.pattern(input), x(b), b.pattern(weight), upload(b, dy), dValues, accumulate));
        }
    }

    @Test
    void inputGradients() {
        for (boolean accumulate : new boolean[] {false, true}) {
            check(
                    "sparseInputDenseInputGradient, accumulate=" + accumulate,
                    ReferenceSparseInput.denseInputGradient(input, dy, denseWeight),
                    priorInputGradient,
                    accumulate,
                    (b, dx) -> b.sparseInputDenseInputGradient(
                            b.pattern(input), upload(b, dy), upload(b, denseWeight), dx, accumulate));
            check(
                    "sparseInputSparseInputGradient, accumulate=" + accumulate,
                    ReferenceSparseInput.sparseInputGradient(input, weight, weightValues, dy),
                    priorInputGradient,
                    accumulate,
                    (b, dx) -> b.sparseInputSparseInputGradient(
                            b.pattern(input),
                            b.pattern(weight),
                            vector(b, weightValues),
                            upload(b, dy),
                            dx,
                            accumulate));
        }
    }

    private static DenseMatrix upload(Backend backend, HostMatrix matrix) {
        return backend.upload(matrix.values(), matrix.rows(), matrix.columns());
    }

    private static DenseMatrix vector(Backend backend, float[] values) {
        return backend.upload(values, 1, values.length);
    }
}
