package org.sparselinear.nn;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.sparselinear.api.Backend;
import org.sparselinear.api.Connectivity;
import org.sparselinear.api.Layer;
import org.sparselinear.api.MemoryScope;
import org.sparselinear.api.Parameter;
import org.sparselinear.api.RewirableLayer;
import org.sparselinear.api.SparseTensor;
import org.sparselinear.api.Tensor;
import org.sparselinear.testing.Tensors;

/**
 * {@link Linear} and {@link SparseLinear} fed a {@link SparseTensor}: the output and every gradient
 * (weights, bias, and the input values when they require one) equal those of the same layer fed
 * the densified batch, whose path is checked against finite differences elsewhere; RigL's grow
 * candidates from a sparse batch equal {@code topKAbsDenseGradient} on the dense one; a layer that
 * cannot take sparse input says so.
 */
class SparseInputTest {

    private static final int IN = 40;
    private static final int OUT = 7;
    private static final int BATCH = 9;

    /** A sparse batch with an empty row, a feature in every row and features never seen, as CSR plus dense. */
    record Batch(Connectivity rows, float[] values, float[] dense) {

        static Batch random(long seed, int batch, int features) {
            SplittableRandom random = new SplittableRandom(seed);
            int[][] coo = new int[2][];
            List<int[]> entries = new ArrayList<>();
            for (int b = 0; b < batch; b++) {
                if (b == 2) {
                    continue; // an empty row
                }
                entries.add(new int[] {b, 0}); // feature 0 is in every other row
                for (int i = 1; i < features - 10; i++) { // the last 10 features never occur
                    if (random.nextInt(6) == 0) {
                        entries.add(new int[] {b, i});
                    }
                }
            }
            coo[0] = entries.stream().mapToInt(e -> e[0]).toArray();
            coo[1] = entries.stream().mapToInt(e -> e[1]).toArray();
            Connectivity rows = Connectivity.fromCoo(batch, features, coo);
            float[] values = Tensors.awayFromZero(seed + 1, rows.nnz());
            float[] dense = new float[batch * features];
            for (int b = 0; b < batch; b++) {
                for (int k = rows.rowStart(b); k < rows.rowStart(b + 1); k++) {
                    dense[b * features + rows.column(k)] = values[k];
                }
            }
            return new Batch(rows, values, dense);
        }

        SparseTensor upload(Backend backend, boolean requiresGrad) {
            SparseTensor uploaded = SparseTensor.upload(backend, rows, values);
            return SparseTensor.of(uploaded.pattern(), uploaded.values(), requiresGrad);
        }

        /** The dense input gradient at the stored positions. */
        float[] sampled(float[] denseGradient) {
            float[] result = new float[rows.nnz()];
            for (int b = 0; b < rows.rows(); b++) {
                for (int k = rows.rowStart(b); k < rows.rowStart(b + 1); k++) {
                    result[k] = denseGradient[b * rows.columns() + rows.column(k)];
                }
            }
            return result;
        }
    }

    record Outcome(float[] output, List<float[]> parameterGrads, float[] inputGrad) {}

    @SuppressWarnings("try")
    private static Outcome run(Layer layer, Batch batch, boolean sparse, float[] outputWeights) {
        Backend backend = Tensors.backend();
        try (MemoryScope scope = backend.newScope()) {
            layer.parameters().forEach(Parameter::zeroGrad);
            Tensor input = sparse
                    ? batch.upload(backend, true)
                    : Tensors.leaf(
                            batch.dense(), batch.rows().rows(), batch.rows().columns());
            Tensor output = layer.forward(input);
            Tensors.weightedSum(output, outputWeights).backward();
            if (layer instanceof RewirableLayer sparseWeight) {
                sparseWeight.weightValues(); // a layer fed sparse batches holds its weight input-major until then
            }
            List<float[]> grads = layer.parameters().stream().map(Tensors::grad).toList();
            float[] inputGrad = sparse ? Tensors.grad(input) : batch.sampled(Tensors.grad(input));
            return new Outcome(output.toArray(), grads, inputGrad);
        }
    }

    private static void assertSameAsDense(Layer layer, long seed) {
        Batch batch = Batch.random(seed, BATCH, IN);
        float[] outputWeights = Tensors.uniform(seed + 2, BATCH * OUT, -1, 1);
        Outcome dense = run(layer, batch, false, outputWeights);
        Outcome sparse = run(layer, batch, true, outputWeights);
        assertArrayEquals(dense.output(), sparse.output(), 1e-5f, "output");
        for (int p = 0; p < dense.parameterGrads().size(); p++) {
            assertArrayEquals(
                    dense.parameterGrads().get(p), sparse.parameterGrads().get(p), 1e-5f, "gradient " + p);
        }
        assertArrayEquals(dense.inputGrad(), sparse.inputGrad(), 1e-5f, "input values gradient");
    }

    @ParameterizedTest
    @ValueSource(booleans = {true, false})
    void linearGivesTheDenseResults(boolean bias) {
        try (Linear layer = new Linear(IN, OUT, bias, 11L, Tensors.backend())) {
            assertSameAsDense(layer, 21L);
        }
    }

    @ParameterizedTest
    @ValueSource(doubles = {0.5, 0.9})
    void sparseLinearGivesTheDenseResults(double sparsity) {
        try (SparseLinear layer = new SparseLinear(
                IN, OUT, SparseLinear.options().sparsity(sparsity).seed(5L).backend(Tensors.backend()))) {
            assertSameAsDense(layer, 31L);
        }
    }

    @Test
    void aBatchWithoutStoredValuesGivesTheBias() {
        Backend backend = Tensors.backend();
        try (Linear layer = new Linear(IN, OUT, true, 3L, backend);
                MemoryScope scope = backend.newScope()) {
            Connectivity empty = Connectivity.fromCsr(2, IN, new int[3], new int[0]);
            float[] output = layer.forward(SparseTensor.upload(backend, empty, new float[0]))
                    .toArray();
            float[] bias = layer.parameters().get(1).toArray();
            for (int b = 0; b < 2; b++) {
                assertArrayEquals(bias, java.util.Arrays.copyOfRange(output, b * OUT, (b + 1) * OUT), "row " + b);
            }
        }
    }

    @ParameterizedTest
    @ValueSource(ints = {1, 12, 100, 260, 276})
    void rigLCandidatesFromASparseBatchEqualTheDenseOnes(int k) {
        Backend backend = Tensors.backend();
        Batch batch = Batch.random(41L, BATCH, IN);
        // Integer values: every gradient is exact, so the selection is compared exactly, ties included.
        float[] values = new float[batch.values().length];
        float[] dense = new float[batch.dense().length];
        SplittableRandom random = new SplittableRandom(43L);
        for (int b = 0; b < BATCH; b++) {
            for (int p = batch.rows().rowStart(b); p < batch.rows().rowStart(b + 1); p++) {
                values[p] = random.nextInt(5) - 2;
                dense[b * IN + batch.rows().column(p)] = values[p];
            }
        }
        float[] dy = new float[BATCH * OUT];
        for (int j = 0; j < dy.length; j++) {
            dy[j] = random.nextInt(3) - 1;
        }
        Connectivity weights = Connectivity.fromCoo(OUT, IN, new int[][] {{0, 0, 3, 6}, {0, 5, 1, 39}});
        try (MemoryScope scope = backend.newScope()) {
            var dyMatrix = backend.upload(dy, BATCH, OUT);
            var pattern = backend.pattern(weights);
            int[][] expected = backend.topKAbsDenseGradient(dyMatrix, backend.upload(dense, BATCH, IN), pattern, k);
            int[][] found = SparseInputGrowth.topKAbsGradient(
                    backend, dyMatrix, SparseTensor.upload(backend, batch.rows(), values), weights, k);
            assertArrayEquals(expected[0], found[0], "rows");
            assertArrayEquals(expected[1], found[1], "columns");
        }
    }

    @Test
    void aLayerThatTakesNoSparseInputSaysSo() {
        Backend backend = Tensors.backend();
        Batch batch = Batch.random(51L, BATCH, IN);
        try (MemoryScope scope = backend.newScope()) {
            IllegalStateException e =
                    assertThrows(IllegalStateException.class, () -> new ReLU().forward(batch.upload(backend, false)));
            assertTrue(e.getMessage().contains("only Linear and SparseLinear take sparse input"), e.getMessage());
        }
    }

    @Test
    void aSparseBatchOfTheWrongWidthIsRejected() {
        Backend backend = Tensors.backend();
        Batch batch = Batch.random(61L, BATCH, IN + 1);
        try (Linear layer = new Linear(IN, OUT, true, 3L, backend);
                MemoryScope scope = backend.newScope()) {
            IllegalArgumentException e =
                    assertThrows(IllegalArgumentException.class, () -> layer.forward(batch.upload(backend, false)));
            assertTrue(
                    e.getMessage().contains("expected a sparse input of " + IN + " features, got " + (IN + 1)),
                    e.getMessage());
        }
    }
}
