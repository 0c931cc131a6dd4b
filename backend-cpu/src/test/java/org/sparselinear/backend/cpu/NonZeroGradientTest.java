package org.sparselinear.backend.cpu;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.SplittableRandom;
import java.util.function.Consumer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.sparselinear.api.Connectivity;
import org.sparselinear.api.DenseMatrix;
import org.sparselinear.api.SparseMatrix;
import org.sparselinear.spi.AdagradSettings;

/**
 * A gradient that knows where its non-zeros are ({@link NonZeroRanges}): clearing it and Adagrad's steps visit only
 * the ranges the sparse-input weight gradients wrote (the rows of an input-major sparse weight, the columns of a
 * dense one), and give bit for bit what full passes give. The
 * reference is the same backend calls with the gradient downloaded before each step and each clearing, which
 * makes the backend forget the ranges (any kernel reading the array does) and run the full passes the kit checks.
 */
class NonZeroGradientTest {

    private static final int OUTPUTS = 40;
    private static final int FEATURES = 300;
    private static final int BATCH = 8;

    private CpuBackend backend;
    private SparseMatrix transposed;
    private int connections;

    @BeforeEach
    void setUp() {
        backend = new CpuBackend(3, true);
        SplittableRandom random = new SplittableRandom(5);
        int[][] indices = new int[2][FEATURES * 6];
        for (int k = 0; k < indices[0].length; k++) {
            indices[0][k] = k / 6; // input-major: rows of T are features
            indices[1][k] = (k % 6) * 6 + random.nextInt(6);
        }
        Connectivity t = Connectivity.fromCoo(FEATURES, OUTPUTS, indices);
        transposed = backend.pattern(t);
        connections = t.nnz();
    }

    @AfterEach
    void tearDown() {
        backend.close();
    }

    @ParameterizedTest
    @EnumSource(Weight.class)
    void adagradOverTheWrittenRangesMatchesTheFullPassBitForBit(Weight weight) {
        assertSameAsFullPasses(weight, new AdagradSettings(0.1f, 0f, 0f, 1e-10f), gradient -> {}, true);
    }

    @ParameterizedTest
    @EnumSource(Weight.class)
    void withWeightDecayEveryWeightMovesAsInTheFullPass(Weight weight) {
        assertSameAsFullPasses(weight, new AdagradSettings(0.1f, 0.01f, 0.001f, 1e-10f), gradient -> {}, true);
    }

    @ParameterizedTest
    @EnumSource(Weight.class)
    void anotherKernelWritingTheGradientMakesTheStepsCoverEverything(Weight weight) {
        int size = weight.size(connections);
        float[] elsewhere = new float[size];
        for (int k = 0; k < size; k += 7) {
            elsewhere[k] = 0.25f;
        }
        DenseMatrix extra = weight.upload(backend, elsewhere, connections);
        assertSameAsFullPasses(
                weight,
                new AdagradSettings(0.1f, 0f, 0f, 1e-10f),
                gradient -> backend.axpy(1f, extra, gradient),
                false);
    }

    @Test
    void clearingAfterFillingWithNegativeZeroLeavesPositiveZeros() {
        DenseMatrix gradient = backend.zeros(1, connections);
        backend.fill(gradient, -0f);
        backend.fill(gradient, 0f);
        for (float value : backend.download(gradient)) {
            assertEquals(0, Float.floatToRawIntBits(value));
        }
        backend.fill(gradient, 3f);
        backend.fill(gradient, 0f);
        assertArrayEquals(new float[connections], backend.download(gradient));
    }

    /**
     * Six steps of: clear the gradient, two batches' weight gradients (the first overwriting on odd steps,
     * accumulating on even ones), {@code between} (another write, or nothing), and an Adagrad step; once as a layer
     * runs them, once forgetting the ranges before each step and each clearing. {@code rangesKnown}: whether the
     * gradient still knows its ranges at the step.
     */
    private void assertSameAsFullPasses(
            Weight weight, AdagradSettings settings, Consumer<DenseMatrix> between, boolean rangesKnown) {
        int size = weight.size(connections);
        float[] start = initialWeights(size);
        Run ranged = new Run(weight, start);
        Run full = new Run(weight, start);
        SplittableRandom random = new SplittableRandom(11);
        for (int step = 1; step <= 6; step++) {
            for (Run run : new Run[] {ranged, full}) {
                if (run == full) {
                    backend.download(run.gradient);
                }
                backend.fill(run.gradient, 0f);
            }
            for (int part = 0; part < 2; part++) {
                Batch batch = new Batch(random);
                boolean accumulate = part > 0 || step % 2 == 0;
                for (Run run : new Run[] {ranged, full}) {
                    if (weight == Weight.SPARSE_INPUT_MAJOR) {
                        backend.sparseInputTransposedSparseWeightGradient(
                                batch.pattern, batch.values, transposed, batch.dy, run.gradient, accumulate);
                    } else {
                        backend.sparseInputDenseWeightGradient(
                                batch.pattern, batch.values, batch.dy, run.gradient, accumulate);
                    }
                }
                batch.close();
            }
            for (Run run : new Run[] {ranged, full}) {
                between.accept(run.gradient);
                if (run == full) {
                    backend.download(run.gradient);
                } else {
                    NonZeroRanges known = ((CpuDenseMatrix) run.gradient).nonZeros();
                    assertEquals(rangesKnown, known != null, "ranges known at step " + step);
                    if (rangesKnown) {
                        assertTrue(known.length() < size / 2, known.length() + " of " + size);
                    }
                }
                backend.adagradStep(run.weights, run.gradient, run.sums, settings, step);
            }
            assertArrayEquals(
                    backend.download(full.weights), backend.download(ranged.weights), "weights, step " + step);
            assertArrayEquals(backend.download(full.sums), backend.download(ranged.sums), "sums, step " + step);
        }
    }

    private static float[] initialWeights(int size) {
        SplittableRandom random = new SplittableRandom(9);
        float[] weights = new float[size];
        for (int k = 0; k < weights.length; k++) {
            weights[k] = (float) random.nextDouble(-1, 1);
        }
        return weights;
    }

    /** The two weights whose sparse-input gradient knows its ranges. */
    enum Weight {
        /** A sparse weight held input-major: the values of T's connections, {@code (1, nnz)}. */
        SPARSE_INPUT_MAJOR,
        /** A dense weight, {@code (outputs, features)}. */
        DENSE;

        int size(int connections) {
            return this == DENSE ? OUTPUTS * FEATURES : connections;
        }

        DenseMatrix upload(CpuBackend backend, float[] values, int connections) {
            return this == DENSE ? backend.upload(values, OUTPUTS, FEATURES) : backend.upload(values, 1, connections);
        }
    }

    /** A weight, its gradient and its Adagrad sums. */
    private final class Run {
        final DenseMatrix weights;
        final DenseMatrix gradient;
        final DenseMatrix sums;

        Run(Weight weight, float[] start) {
            weights = weight.upload(backend, start, connections);
            gradient = weight.upload(backend, new float[start.length], connections);
            sums = weight.upload(backend, new float[start.length], connections);
        }
    }

    /** A batch of a few features per sample, with its values and an upstream gradient. */
    private final class Batch {
        final SparseMatrix pattern;
        final DenseMatrix values;
        final DenseMatrix dy;

        Batch(SplittableRandom random) {
            int[][] indices = new int[2][BATCH * 3];
            float[] xValues = new float[BATCH * 3];
            for (int k = 0; k < xValues.length; k++) {
                indices[0][k] = k / 3;
                indices[1][k] = (k % 3) * (FEATURES / 3) + random.nextInt(FEATURES / 3);
                xValues[k] = (float) random.nextDouble(-1, 1);
            }
            Connectivity x = Connectivity.fromCoo(BATCH, FEATURES, indices);
            pattern = backend.pattern(x);
            values = backend.upload(xValues, 1, xValues.length);
            float[] upstream = new float[BATCH * OUTPUTS];
            for (int k = 0; k < upstream.length; k++) {
                upstream[k] = (float) random.nextDouble(-1, 1);
            }
            dy = backend.upload(upstream, BATCH, OUTPUTS);
        }

        void close() {
            pattern.close();
            values.close();
            dy.close();
        }
    }
}
