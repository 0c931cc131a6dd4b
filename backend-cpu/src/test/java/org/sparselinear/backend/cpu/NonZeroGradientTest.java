package org.sparselinear.backend.cpu;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.SplittableRandom;
import java.util.function.Consumer;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.MethodSource;
import org.sparselinear.api.Connectivity;
import org.sparselinear.api.DenseMatrix;
import org.sparselinear.api.SparseMatrix;
import org.sparselinear.spi.AdagradSettings;
import org.sparselinear.spi.SgdSettings;

/**
 * A gradient that knows where its non-zeros are ({@link NonZeroRanges}): clearing it and an optimizer's step visit only
 * the ranges the sparse-input weight gradients wrote (the rows of an input-major sparse weight, the columns of a
 * dense one) when the update leaves the weights of zero gradient as they are (Adagrad without weight decay, SGD
 * without momentum or weight decay), and give bit for bit what full passes give. The
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

    @ParameterizedTest(name = "{0}, {1}")
    @MethodSource("weightsAndUpdates")
    void updatesMatchTheFullPassesBitForBit(Weight weight, Update update) {
        assertSameAsFullPasses(weight, update, gradient -> {}, true);
    }

    static Stream<Arguments> weightsAndUpdates() {
        return Stream.of(Weight.values())
                .flatMap(weight -> Stream.of(Update.values()).map(update -> Arguments.of(weight, update)));
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
        for (Update update : new Update[] {Update.ADAGRAD, Update.SGD}) {
            assertSameAsFullPasses(weight, update, gradient -> backend.axpy(1f, extra, gradient), false);
        }
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
     * Six steps of: two batches' weight gradients (on odd steps the first overwrites the last step's gradient, on
     * even ones the gradient is cleared first and both accumulate), {@code between} (another write, or nothing),
     * and an {@code update}; once as a layer runs them, once forgetting the ranges before each step and each
     * clearing. {@code rangesKnown}: whether the gradient still knows its ranges at the step.
     */
    private void assertSameAsFullPasses(
            Weight weight, Update update, Consumer<DenseMatrix> between, boolean rangesKnown) {
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
                if (step % 2 == 0) { // odd steps leave last step's gradient for the first batch to overwrite
                    backend.fill(run.gradient, 0f);
                }
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
                update.step(backend, run, step);
            }
            assertArrayEquals(
                    backend.download(full.weights), backend.download(ranged.weights), "weights, step " + step);
            assertArrayEquals(backend.download(full.state), backend.download(ranged.state), "state, step " + step);
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

    /** The optimizers' updates: those that leave the weights of zero gradient as they are, and two that do not. */
    enum Update {
        ADAGRAD,
        ADAGRAD_WITH_WEIGHT_DECAY,
        SGD,
        SGD_WITH_MOMENTUM;

        void step(CpuBackend backend, Run run, int step) {
            switch (this) {
                case ADAGRAD ->
                    backend.adagradStep(
                            run.weights, run.gradient, run.state, new AdagradSettings(0.1f, 0f, 0f, 1e-10f), step);
                case ADAGRAD_WITH_WEIGHT_DECAY ->
                    backend.adagradStep(
                            run.weights,
                            run.gradient,
                            run.state,
                            new AdagradSettings(0.1f, 0.01f, 0.001f, 1e-10f),
                            step);
                case SGD -> backend.sgdStep(run.weights, run.gradient, null, new SgdSettings(0.1f, 0f, 0f, false));
                case SGD_WITH_MOMENTUM ->
                    backend.sgdStep(run.weights, run.gradient, run.state, new SgdSettings(0.1f, 0.9f, 0f, false));
            }
        }
    }

    /** A weight, its gradient and its optimizer's state (Adagrad's sums or SGD's velocity). */
    private final class Run {
        final DenseMatrix weights;
        final DenseMatrix gradient;
        final DenseMatrix state;

        Run(Weight weight, float[] start) {
            weights = weight.upload(backend, start, connections);
            gradient = weight.upload(backend, new float[start.length], connections);
            state = weight.upload(backend, new float[start.length], connections);
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
