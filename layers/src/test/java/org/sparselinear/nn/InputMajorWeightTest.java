package org.sparselinear.nn;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;

import java.io.IOException;
import java.util.Map;
import java.util.function.IntPredicate;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.sparselinear.api.Backend;
import org.sparselinear.api.Layer;
import org.sparselinear.api.MemoryScope;
import org.sparselinear.api.Parameter;
import org.sparselinear.api.Tensor;
import org.sparselinear.io.Checkpoint;
import org.sparselinear.io.ModelFile;
import org.sparselinear.nn.loss.CrossEntropyLoss;
import org.sparselinear.nn.optim.Adagrad;
import org.sparselinear.nn.optim.Optimizer;
import org.sparselinear.nn.sparsity.RigL;
import org.sparselinear.testing.Tensors;

/**
 * A {@link SparseLinear} fed sparse batches holds its weight input-major ({@link InputMajorWeight}), and nothing a
 * user can see depends on it: training on sparse batches, dense batches or a mix of both ends with the same weights;
 * a checkpoint saved while the weight is input-major (in training or evaluation mode) resumes exactly; evaluation
 * runs sparse and dense batches, with their gradients, without moving the weight; RigL rewires a layer held input-major to the
 * same connections as one held in row order; {@link SparseLinear#weight()} and {@code downloadWeightValues} give
 * connection order.
 */
class InputMajorWeightTest {

    private static final int IN = 40;
    private static final int OUT = 7;
    private static final int BATCH = 9;
    private static final int STEPS = 8;

    private static SparseLinear layer(RigL rewiring) {
        SparseLinear.Options options =
                SparseLinear.options().sparsity(0.6).seed(17L).backend(Tensors.backend());
        return new SparseLinear(IN, OUT, rewiring != null ? options.rewiring(rewiring) : options);
    }

    private static int[] labels(int step) {
        int[] labels = new int[BATCH];
        for (int b = 0; b < BATCH; b++) {
            labels[b] = (b * 3 + step) % OUT;
        }
        return labels;
    }

    /** One Adagrad step on batch {@code step}, fed sparse or densified. */
    @SuppressWarnings("try")
    private static void step(SparseLinear layer, Optimizer optimizer, int step, boolean sparse) {
        Backend backend = Tensors.backend();
        SparseInputTest.Batch batch = SparseInputTest.Batch.random(100 + step, BATCH, IN);
        try (MemoryScope scope = backend.newScope()) {
            optimizer.zeroGrad();
            Tensor input = sparse ? batch.upload(backend, false) : Tensors.constant(batch.dense(), BATCH, IN);
            new CrossEntropyLoss().forward(layer.forward(input), labels(step)).backward();
            optimizer.step();
        }
    }

    private static void train(SparseLinear layer, Optimizer optimizer, int from, int to, IntPredicate sparseAt) {
        for (int s = from; s < to; s++) {
            step(layer, optimizer, s, sparseAt.test(s));
        }
    }

    @Test
    void sparseDenseAndMixedBatchesTrainTheSameWeights() {
        try (SparseLinear dense = layer(null);
                SparseLinear sparse = layer(null);
                SparseLinear mixed = layer(null);
                Optimizer denseOptimizer = new Adagrad(dense.parameters(), 0.1);
                Optimizer sparseOptimizer = new Adagrad(sparse.parameters(), 0.1);
                Optimizer mixedOptimizer = new Adagrad(mixed.parameters(), 0.1)) {
            train(dense, denseOptimizer, 0, STEPS, s -> false);
            train(sparse, sparseOptimizer, 0, STEPS, s -> true);
            train(mixed, mixedOptimizer, 0, STEPS, s -> s % 3 != 1);

            float[] expected = dense.weight().values();
            assertArrayEquals(expected, sparse.weight().values(), 1e-5f, "sparse batches");
            assertArrayEquals(expected, mixed.weight().values(), 1e-5f, "sparse and dense batches");
            assertArrayEquals(expected, sparse.downloadWeightValues(), 1e-5f, "downloadWeightValues");
            assertArrayEquals(
                    expected, Tensors.backend().download(sparse.weightValues().value()), 1e-5f, "weightValues");
        }
    }

    @ParameterizedTest(name = "saved in evaluation mode: {0}")
    @ValueSource(booleans = {false, true})
    void aCheckpointSavedWhileInputMajorResumesExactly(boolean inEvaluation) throws IOException {
        byte[] saved;
        float[] uninterrupted;
        try (SparseLinear layer = layer(null);
                Optimizer optimizer = new Adagrad(layer.parameters(), 0.1)) {
            train(layer, optimizer, 0, STEPS / 2, s -> true);
            if (inEvaluation) {
                layer.eval(); // the weight stays input-major: the file's positions put the optimizer state in row order
            }
            saved = Checkpoint.toBytes(layer, optimizer, TrainingProgress.afterEpoch(0, STEPS / 2, 1L), Map.of());
            layer.train();
            train(layer, optimizer, STEPS / 2, STEPS, s -> true);
            uninterrupted = layer.weight().values();
        }
        Checkpoint checkpoint = Checkpoint.read(saved, "in memory");
        try (SparseLinear layer = layer(null);
                Optimizer optimizer = new Adagrad(layer.parameters(), 0.1)) {
            checkpoint.restore(layer, optimizer);
            train(layer, optimizer, STEPS / 2, STEPS, s -> true);
            assertArrayEquals(uninterrupted, layer.weight().values(), "resumed");
        }
    }

    @Test
    void rigLRewiresALayerHeldInputMajorAsOneInRowOrder() {
        RigL rule = RigL.forPlannedSteps(4 * STEPS).withDeltaT(2).withAlpha(0.4);
        try (SparseLinear dense = layer(rule);
                SparseLinear sparse = layer(rule);
                Optimizer denseOptimizer = new Adagrad(dense.parameters(), 0.1);
                Optimizer sparseOptimizer = new Adagrad(sparse.parameters(), 0.1)) {
            var before = dense.connectivity();
            train(dense, denseOptimizer, 0, STEPS, s -> false);
            train(sparse, sparseOptimizer, 0, STEPS, s -> true);

            assertNotEquals(before, dense.connectivity(), "RigL changed the connections");
            assertEquals(dense.connectivity(), sparse.connectivity(), "connections");
            assertArrayEquals(dense.weight().values(), sparse.weight().values(), 1e-5f, "values");
        }
    }

    @Test
    void aModelSavedWhileInputMajorLoadsWithItsValuesByConnection() throws IOException {
        try (SparseLinear layer = layer(null);
                Optimizer optimizer = new Adagrad(layer.parameters(), 0.1)) {
            train(layer, optimizer, 0, 2, s -> true);
            float[] expected = layer.downloadWeightValues();
            byte[] file = ModelFile.toBytes(layer);
            try (Layer loaded = ModelFile.load(file, "in memory", Tensors.backend())) {
                SparseLinear copy = (SparseLinear) loaded;
                assertEquals(layer.connectivity(), copy.connectivity(), "connections");
                assertArrayEquals(expected, copy.weight().values(), "values");
            }
        }
    }

    @Test
    void evaluationRunsBothKindsOfBatchWithoutMovingTheWeight() throws IOException {
        Backend backend = Tensors.backend();
        SparseInputTest.Batch batch = SparseInputTest.Batch.random(7, BATCH, IN);
        try (SparseLinear layer = layer(null);
                Optimizer optimizer = new Adagrad(layer.parameters(), 0.1)) {
            train(layer, optimizer, 0, 3, s -> true);
            try (Layer rowOrder = ModelFile.load(ModelFile.toBytes(layer), "in memory", backend)) {
                layer.eval();
                rowOrder.eval();
                float[] held = backend.download(layer.parameters().get(0).value());
                float[] expected = rowOrder.forward(Tensors.constant(batch.dense(), BATCH, IN))
                        .toArray();

                float[] fromDense = layer.forward(Tensors.constant(batch.dense(), BATCH, IN))
                        .toArray();
                float[] fromSparse = layer.forward(batch.upload(backend, false)).toArray();

                assertArrayEquals(expected, fromDense, 1e-5f, "a dense batch through W^T");
                assertArrayEquals(expected, fromSparse, 1e-5f, "a sparse batch");
                assertArrayEquals(
                        held, backend.download(layer.parameters().get(0).value()), "the weight did not move");
            }
        }
    }

    @Test
    @SuppressWarnings("try")
    void aDenseBatchInEvaluationGetsTheGradientsOfTheRowOrderLayer() throws IOException {
        Backend backend = Tensors.backend();
        SparseInputTest.Batch batch = SparseInputTest.Batch.random(9, BATCH, IN);
        float[] outputWeights = Tensors.uniform(10, BATCH * OUT, -1, 1);
        try (SparseLinear layer = layer(null);
                Optimizer optimizer = new Adagrad(layer.parameters(), 0.1)) {
            train(layer, optimizer, 0, 3, s -> true);
            try (SparseLinear rowOrder =
                    (SparseLinear) ModelFile.load(ModelFile.toBytes(layer), "in memory", backend)) {
                float[][] inputGradients = new float[2][];
                SparseLinear[] layers = {layer, rowOrder};
                for (int l = 0; l < 2; l++) {
                    layers[l].eval();
                    layers[l].parameters().forEach(Parameter::zeroGrad);
                    try (MemoryScope scope = backend.newScope()) {
                        Tensor input = Tensors.leaf(batch.dense(), BATCH, IN);
                        Tensors.weightedSum(layers[l].forward(input), outputWeights)
                                .backward();
                        inputGradients[l] = Tensors.grad(input);
                    }
                }
                assertArrayEquals(inputGradients[1], inputGradients[0], 1e-5f, "input gradient");
                layer.weightValues(); // puts the gradient into row order with the values
                assertArrayEquals(
                        Tensors.grad(rowOrder.parameters().get(0)),
                        Tensors.grad(layer.parameters().get(0)),
                        1e-5f,
                        "weight gradient");
            }
        }
    }

    @Test
    void aLayerWithoutConnectionsTrainsOnSparseBatchesAndSaves() throws IOException {
        try (SparseLinear layer = new SparseLinear(
                        IN,
                        OUT,
                        SparseLinear.options()
                                .connectivity(new int[][] {{}, {}})
                                .seed(3L)
                                .backend(Tensors.backend()));
                Optimizer optimizer = new Adagrad(layer.parameters(), 0.1)) {
            train(layer, optimizer, 0, 2, s -> true);
            try (Layer loaded = ModelFile.load(ModelFile.toBytes(layer), "in memory", Tensors.backend())) {
                assertEquals(0, ((SparseLinear) loaded).nnz(), "connections");
                assertArrayEquals(
                        Tensors.backend().download(layer.parameters().get(1).value()),
                        Tensors.backend().download(loaded.parameters().get(1).value()),
                        "the trained bias");
            }
        }
    }
}
