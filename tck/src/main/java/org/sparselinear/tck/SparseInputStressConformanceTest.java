package org.sparselinear.tck;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.sparselinear.api.Backend;
import org.sparselinear.api.Connectivity;
import org.sparselinear.api.DenseMatrix;
import org.sparselinear.api.SparseMatrix;
import org.sparselinear.tck.reference.HostMatrix;
import org.sparselinear.tck.reference.Patterns;
import org.sparselinear.tck.reference.ReferenceSparseInput;
import org.sparselinear.tck.reference.TestData;

/**
 * What {@link BackendConformanceTest}'s sparse-input contract does not reach, for a backend whose
 * {@link org.sparselinear.spi.SparseInputProducts} kernels have variants chosen by shape or split
 * their work between threads; a backend module extends it with its own backend:
 * <ul>
 *   <li>the nine products at batches 1 to 300 and 3 to 300 outputs (a sample's outputs split into
 *       fewer or more ranges than there are outputs, short and long dot products, an input feature
 *       held by every one of 300 samples) against {@link ReferenceSparseInput};</li>
 *   <li>every product gives the same bits when run again on a 256 x 2,000 Zipf batch, however the
 *       device schedules its threads;</li>
 *   <li>an accumulated dense weight gradient leaves the features absent from the batch untouched
 *       ({@code -0.0} stays {@code -0.0}).</li>
 * </ul>
 * {@link #createBackend()} is called once per test class; the kit closes the backend after the
 * last test.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
public abstract class SparseInputStressConformanceTest extends BackendContract {

    private static final int FEATURES = 120;

    private Backend backend;
    private final TestData data = new TestData(17);

    /** Creates the backend under test. Called once per test class; the kit closes it at the end. */
    protected abstract Backend createBackend();

    @Override
    final synchronized Backend backend() {
        if (backend == null) {
            backend = createBackend();
            assertNotNull(backend, "createBackend() returned null");
        }
        return backend;
    }

    @AfterAll
    final void closeBackend() {
        if (backend != null) {
            backend.close();
        }
    }

    @ParameterizedTest(name = "batch {0}, {1} outputs")
    @CsvSource({"1, 3", "5, 40", "33, 300", "300, 40", "300, 257"})
    void everyProductMatchesTheReferenceAcrossTheKernelsVariants(int batch, int outputs) {
        Connectivity x = Patterns.withColumnInEveryRow(batch, FEATURES, 7, 4, batch);
        Connectivity sparseWeight = Patterns.random(outputs, FEATURES, 0.3, outputs);
        float[] xValues = data.signed(x.nnz());
        float[] weightValues = data.signed(sparseWeight.nnz());
        HostMatrix weight = data.signed(outputs, FEATURES);
        HostMatrix dy = data.signed(batch, outputs);
        SparseMatrix deviceX = backend().pattern(x);
        DenseMatrix deviceXValues = upload(HostMatrix.vector(xValues));
        DenseMatrix deviceWeightValues = upload(HostMatrix.vector(weightValues));
        DenseMatrix deviceWeight = upload(weight);
        DenseMatrix deviceDy = upload(dy);

        DenseMatrix y = garbage(batch, outputs);
        backend().sparseInputDense(deviceX, deviceXValues, deviceWeight, y);
        assertMatches("sparseInputDense", ReferenceSparseInput.denseForward(x, xValues, weight), y);
        DenseMatrix dWeight = garbage(outputs, FEATURES);
        backend().sparseInputDenseWeightGradient(deviceX, deviceXValues, deviceDy, dWeight, false);
        assertMatches(
                "sparseInputDenseWeightGradient", ReferenceSparseInput.denseWeightGradient(x, xValues, dy), dWeight);
        DenseMatrix dxValues = garbage(1, x.nnz());
        backend().sparseInputDenseInputGradient(deviceX, deviceDy, deviceWeight, dxValues, false);
        assertMatches(
                "sparseInputDenseInputGradient", ReferenceSparseInput.denseInputGradient(x, dy, weight), dxValues);

        DenseMatrix dValues = garbage(1, sparseWeight.nnz());
        for (SparseWeightForm form : SparseWeightForm.values()) {
            Connectivity pattern = form.pattern.apply(sparseWeight);
            SparseMatrix devicePattern = backend().pattern(pattern);
            form.forward.run(backend(), deviceX, deviceXValues, devicePattern, deviceWeightValues, y);
            assertMatches(form.operation, form.referenceForward.of(x, xValues, pattern, weightValues), y);
            form.weightGradient.run(backend(), deviceX, deviceXValues, devicePattern, deviceDy, dValues, false);
            assertMatches(
                    form.operation + "WeightGradient",
                    form.referenceWeightGradient.of(x, xValues, pattern, dy),
                    dValues);
            form.inputGradient.run(backend(), deviceX, devicePattern, deviceWeightValues, deviceDy, dxValues, false);
            assertMatches(
                    form.operation + "InputGradient",
                    form.referenceInputGradient.of(x, pattern, weightValues, dy),
                    dxValues);
        }
    }

    @Test
    void everyProductGivesTheSameBitsWhenRunAgain() {
        Connectivity x = Patterns.zipfRows(256, 2000, 11, 5);
        Connectivity sparseWeight = Patterns.random(300, 2000, 0.1, 6);
        SparseMatrix deviceX = backend().pattern(x);
        SparseMatrix deviceSparseWeight = backend().pattern(sparseWeight);
        SparseMatrix deviceTransposed = backend().pattern(sparseWeight.transposed());
        DenseMatrix xValues = upload(HostMatrix.vector(data.signed(x.nnz())));
        DenseMatrix weightValues = upload(HostMatrix.vector(data.signed(sparseWeight.nnz())));
        DenseMatrix weight = upload(data.signed(300, 2000));
        DenseMatrix dy = upload(data.signed(256, 300));
        float[][] firstRun = new float[9][];
        for (int run = 0; run < 2; run++) {
            DenseMatrix[] results = {
                backend().zeros(256, 300),
                backend().zeros(300, 2000),
                backend().zeros(1, x.nnz()),
                backend().zeros(256, 300),
                backend().zeros(1, sparseWeight.nnz()),
                backend().zeros(1, x.nnz()),
                backend().zeros(256, 300),
                backend().zeros(1, sparseWeight.nnz()),
                backend().zeros(1, x.nnz())
            };
            backend().sparseInputDense(deviceX, xValues, weight, results[0]);
            backend().sparseInputDenseWeightGradient(deviceX, xValues, dy, results[1], false);
            backend().sparseInputDenseInputGradient(deviceX, dy, weight, results[2], false);
            backend().sparseInputSparse(deviceX, xValues, deviceSparseWeight, weightValues, results[3]);
            backend().sparseInputSparseWeightGradient(deviceX, xValues, deviceSparseWeight, dy, results[4], false);
            backend().sparseInputSparseInputGradient(deviceX, deviceSparseWeight, weightValues, dy, results[5], false);
            backend().sparseInputTransposedSparse(deviceX, xValues, deviceTransposed, weightValues, results[6]);
            backend()
                    .sparseInputTransposedSparseWeightGradient(
                            deviceX, xValues, deviceTransposed, dy, results[7], false);
            backend()
                    .sparseInputTransposedSparseInputGradient(
                            deviceX, deviceTransposed, weightValues, dy, results[8], false);
            for (int i = 0; i < results.length; i++) {
                float[] bits = backend().download(results[i]);
                if (run == 0) {
                    firstRun[i] = bits;
                } else {
                    assertArrayEquals(firstRun[i], bits, "product " + i + " changed between two runs");
                }
            }
        }
    }

    @Test
    void anAccumulatedDenseWeightGradientLeavesAbsentFeaturesUntouched() {
        Connectivity x = Patterns.emptyRowsAndColumns(64, FEATURES, 0.2, 9);
        HostMatrix dy = data.signed(64, 10);
        float[] prior = new float[10 * FEATURES];
        Arrays.fill(prior, -0.0f);
        DenseMatrix dWeight = backend().upload(prior, 10, FEATURES);

        backend()
                .sparseInputDenseWeightGradient(
                        backend().pattern(x),
                        upload(HostMatrix.vector(data.signed(x.nnz()))),
                        upload(dy),
                        dWeight,
                        true);

        float[] result = backend().download(dWeight);
        boolean[] present = new boolean[FEATURES];
        for (int k = 0; k < x.nnz(); k++) {
            present[x.column(k)] = true;
        }
        int absent = 0;
        for (int i = 0; i < FEATURES; i++) {
            if (!present[i]) {
                absent++;
                for (int o = 0; o < 10; o++) {
                    assertEquals(
                            Float.floatToRawIntBits(-0.0f),
                            Float.floatToRawIntBits(result[o * FEATURES + i]),
                            "dW[" + o + ", " + i + "] of absent feature " + i + " was written");
                }
            }
        }
        assertTrue(absent > 0, "the batch should leave some features absent");
    }
}
