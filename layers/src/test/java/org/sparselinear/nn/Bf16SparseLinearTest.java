package org.sparselinear.nn;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.sparselinear.api.Backend;
import org.sparselinear.api.GradMode;
import org.sparselinear.api.Layer;
import org.sparselinear.api.Tensor;
import org.sparselinear.backend.cpu.CpuBackend;
import org.sparselinear.data.Dataset;
import org.sparselinear.io.ModelFile;
import org.sparselinear.nn.loss.CrossEntropyLoss;
import org.sparselinear.nn.optim.SGD;
import org.sparselinear.nn.train.Evaluator;
import org.sparselinear.nn.train.Predictor;
import org.sparselinear.spi.Bfloat16;

class Bf16SparseLinearTest {

    private static final Backend SIMD = new CpuBackend(2);
    private static final Backend SCALAR = new CpuBackend(2, false);

    @Test
    void forwardUsesTheWeightsRoundedToNearestEvenAndAddsTheBias() {
        // 1 + 2^-8 is a tie (down to 1); 1 + 3 * 2^-8 a tie up to 1 + 2^-6; 0.1 rounds to 0.10009765625
        float tieDown = 1f + 0x1p-8f;
        float tieUp = 1f + 3 * 0x1p-8f;
        SparseLinear layer = SparseLinear.fromCoo(
                3,
                2,
                new int[][] {{0, 0, 1}, {0, 2, 1}},
                new float[] {tieDown, tieUp, 0.1f},
                new float[] {0.5f, -1f},
                SIMD);
        Bf16SparseLinear compressed = layer.compressForInference();
        float[] x = {2f, 7f, 4f};

        float[] y = compressed.forward(Tensor.constant(SIMD.upload(x, 1, 3))).toArray();

        assertArrayEquals(new float[] {1f, 1f + 0x1p-6f, 0.10009765625f}, compressed.widenedValues());
        assertEquals(0.5f + 1f * 2 + (1f + 0x1p-6f) * 4, y[0], 0f, "y[0] with the rounded weights");
        assertEquals(-1f + 0.10009765625f * 7, y[1], 1e-7f, "y[1] with the rounded weight");
        assertEquals(16, compressed.bitsPerValue(), "the CPU backend stores 16 bits");
    }

    @ParameterizedTest(name = "batch {0}")
    @ValueSource(ints = {1, 3, 17, 64})
    void forwardMatchesTheFloat32LayerOfTheRoundedWeightsOnBothLoops(int batch) {
        for (Backend backend : List.of(SIMD, SCALAR)) {
            SparseLinear layer = new SparseLinear(
                    300, 70, SparseLinear.options().sparsity(0.8).seed(5).backend(backend));
            SparseLinear rounded = SparseLinear.fromCoo(
                    300,
                    70,
                    layer.connectivity().toCoo(),
                    Bfloat16.round(layer.weight().values()),
                    layer.parameters().get(1).toArray(),
                    backend);
            Tensor x = Tensor.constant(
                    backend.upload(org.sparselinear.testing.Tensors.uniform(batch, batch * 300, -1, 1), batch, 300));

            float[] expected = rounded.forward(x).toArray();
            float[] actual = layer.compressForInference().forward(x).toArray();

            for (int i = 0; i < expected.length; i++) {
                assertEquals(
                        expected[i], actual[i], 1e-5f * (1 + Math.abs(expected[i])), backend.description() + " y " + i);
            }
        }
    }

    @Test
    void compressingAModelSwapsEverySparseLayerClosesTheOriginalsAndKeepsOtherLayers() {
        Sequential model = Models.rich(SIMD);
        List<SparseLinear> originals = sparseLayers(model);
        Linear dense = (Linear) model.layers().get(7);

        Sequential compressed = model.compressForInference();

        assertSame(model, compressed, "in place");
        assertFalse(model.isTraining(), "evaluation mode");
        assertEquals(2, originals.size());
        originals.forEach(original -> assertTrue(original.isClosed(), original + " closed"));
        assertInstanceOf(Bf16SparseLinear.class, model.layers().get(2));
        assertInstanceOf(
                Bf16SparseLinear.class,
                ((Sequential) model.layers().get(6)).layers().get(0));
        assertSame(dense, model.layers().get(7), "a dense Linear stays float32");
    }

    @Test
    void aSavedCompressedModelIsAnOrdinaryFloat32ModelWithTheRoundedValues() throws IOException {
        Sequential model = Models.rich(SIMD);
        List<float[]> weights = new ArrayList<>();
        sparseLayers(model).forEach(layer -> weights.add(layer.weight().values()));
        model.compressForInference();

        Layer loaded = ModelFile.load(ModelFile.toBytes(model), "compressed", SIMD);

        List<SparseLinear> reloaded = sparseLayers((Sequential) loaded);
        assertEquals(2, reloaded.size(), "loads as float32 SparseLinear layers");
        for (int i = 0; i < reloaded.size(); i++) {
            float[] expected = Bfloat16.round(weights.get(i));
            assertArrayEquals(
                    expected, reloaded.get(i).weight().values(), "layer " + i + ": the bfloat16 values, exactly");
            assertNotEquals(0, reloaded.get(i).parameters().size(), "trainable again");
        }
        loaded.setTraining(true);
        Tensor x = Tensor.constant(SIMD.upload(new float[2 * Models.FEATURES], 2, Models.FEATURES), 2, 1, 3, 4);
        new CrossEntropyLoss().forward(loaded.forward(x), new int[] {0, 1}).backward();
        assertNotEquals(0.0, maxAbs(reloaded.get(1).parameters().get(1).grad()), "the reloaded model trains");
    }

    @Test
    void trainingACompressedModelFailsSayingWhatToDo() {
        Sequential model = Models.plain(SIMD, 3).compressForInference();
        Tensor x = Tensor.constant(SIMD.upload(new float[4 * Models.FEATURES], 4, Models.FEATURES));

        model.train();
        var forward = assertThrows(IllegalStateException.class, () -> model.forward(x));
        assertTrue(
                forward.getMessage().contains("compressed for inference")
                        && forward.getMessage().contains("eval()"),
                forward.getMessage());

        Sequential onlySparse = new Sequential(
                        new SparseLinear(
                                Models.FEATURES,
                                8,
                                SparseLinear.options().seed(1).backend(SIMD)),
                        new ReLU(),
                        new SparseLinear(
                                8,
                                Models.CLASSES,
                                SparseLinear.options().seed(2).backend(SIMD)))
                .compressForInference();
        var optimizer = assertThrows(IllegalArgumentException.class, () -> new SGD(onlySparse.parameters(), 0.1));
        assertTrue(optimizer.getMessage().contains("empty parameter list"), optimizer.getMessage());

        model.eval();
        Sequential withTrainableFirstLayer =
                new Sequential(new Linear(Models.FEATURES, Models.FEATURES, true, 1, SIMD), model);
        Tensor output = withTrainableFirstLayer.forward(x);
        Tensor loss = new CrossEntropyLoss().forward(output, new int[] {0, 1, 2, 0});
        var backward = assertThrows(IllegalStateException.class, loss::backward);
        assertTrue(backward.getMessage().contains("no backward pass"), backward.getMessage());
    }

    @Test
    void predictorAndEvaluatorRunOnACompressedModel() {
        Dataset data = Models.data(64, 4);
        Sequential model = Models.plain(SIMD, 8);
        model.eval();
        double float32Accuracy =
                Evaluator.of(model, new CrossEntropyLoss()).evaluate(data).accuracy();
        float[] direct;
        Sequential compressed = model.to(SIMD).compressForInference();
        try (GradMode off = GradMode.disable()) {
            direct = compressed
                    .forward(Tensor.constant(SIMD.upload(data.get(0).values(), 1, Models.FEATURES), 1, 1, 3, 4))
                    .toArray();
        }

        float[] predicted = new Predictor(compressed).predict(data.get(0).values());
        double accuracy =
                Evaluator.of(compressed, new CrossEntropyLoss()).evaluate(data).accuracy();

        assertArrayEquals(direct, predicted, 0f, "Predictor runs the compressed forward");
        assertEquals(float32Accuracy, accuracy, 2.0 / 64, "bfloat16 changes at most a sample or two of 64");
    }

    @Test
    void aSparseLayerInsideAResidualIsRefusedAndNothingChanges() {
        SparseLinear inner =
                new SparseLinear(5, 5, SparseLinear.options().seed(1).backend(SIMD));
        Sequential model = new Sequential(new Residual(inner));

        var error = assertThrows(UnsupportedOperationException.class, model::compressForInference);

        assertTrue(error.getMessage().contains("Residual"), error.getMessage());
        assertFalse(inner.isClosed());
        assertTrue(model.isTraining());
    }

    @Test
    void movingACompressedLayerKeepsItCompressed() {
        SparseLinear layer =
                new SparseLinear(40, 30, SparseLinear.options().seed(2).backend(SIMD));
        Bf16SparseLinear compressed = layer.compressForInference();

        Layer moved = compressed.to(SCALAR);

        assertInstanceOf(Bf16SparseLinear.class, moved);
        assertArrayEquals(compressed.widenedValues(), ((Bf16SparseLinear) moved).widenedValues());
    }

    private static double maxAbs(org.sparselinear.api.DenseMatrix matrix) {
        double max = 0;
        for (float v : matrix.backend().download(matrix)) {
            max = Math.max(max, Math.abs(v));
        }
        return max;
    }

    private static List<SparseLinear> sparseLayers(Sequential model) {
        List<SparseLinear> found = new ArrayList<>();
        for (Layer layer : model.layers()) {
            if (layer instanceof SparseLinear sparse) {
                found.add(sparse);
            } else if (layer instanceof Sequential nested) {
                found.addAll(sparseLayers(nested));
            }
        }
        return found;
    }
}
