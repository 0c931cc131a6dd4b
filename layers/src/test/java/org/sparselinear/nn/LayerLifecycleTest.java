package org.sparselinear.nn;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.function.Executable;
import org.sparselinear.api.Backend;
import org.sparselinear.api.DenseMatrix;
import org.sparselinear.api.GradMode;
import org.sparselinear.api.Layer;
import org.sparselinear.api.MemoryScope;
import org.sparselinear.api.Parameter;
import org.sparselinear.api.Tensor;
import org.sparselinear.backend.cpu.CpuBackend;
import org.sparselinear.data.DataLoader;
import org.sparselinear.io.ModelFile;
import org.sparselinear.nn.optim.Adam;
import org.sparselinear.nn.optim.SGD;

/**
 * Closing layers, models and optimizers, and moving a model to another backend with
 * {@code to(backend)}, on two instances of the CPU backend (the OpenCL side is tested in the
 * examples module, which has that backend on its class path).
 */
class LayerLifecycleTest {

    private static final Backend CPU = new CpuBackend(2);
    private static final Backend OTHER_CPU = new CpuBackend(2);

    @Test
    void closingAModelFreesEveryParameterAndFailsLaterUseClearly() {
        Sequential model = trained(Models.rich(CPU));
        List<DenseMatrix> buffers = new ArrayList<>();
        for (Parameter parameter : model.parameters()) {
            buffers.add(parameter.value());
            buffers.add(parameter.grad());
        }
        KWinners winners = (KWinners) model.layers().get(5);
        SparseLinear sparse = (SparseLinear) model.layers().get(2);

        model.close();
        model.close();

        assertTrue(model.isClosed());
        assertTrue(buffers.stream().allMatch(DenseMatrix::isClosed), "every value and gradient is freed");
        assertTrue(model.parameters().stream().allMatch(Parameter::isClosed));
        for (Layer layer : model.layers()) {
            assertTrue(((AbstractLayer) layer).isClosed(), layer + " is closed with its model");
        }
        assertClosedError(() -> model.forward(input(CPU)), "Sequential(");
        assertClosedError(() -> winners.forward(Tensor.constant(CPU.zeros(2, 16))), "KWinners(");
        assertClosedError(winners::dutyCycles, "KWinners(");
        assertClosedError(winners::afterEpoch, "KWinners(");
        assertClosedError(sparse::afterStep, "SparseLinear(");
        assertClosedError(() -> sparse.parameters().get(0).value(), "Parameter(weight, (1, ");
        assertClosedError(sparse::weight, "Parameter(weight");
        assertClosedError(() -> model.to(OTHER_CPU), "Sequential(");
        assertClosedError(() -> sparse.parameters().get(1).zeroGrad(), "Parameter(bias");
        assertClosedError(() -> sparse.parameters().get(1).toArray(), "Parameter(bias");
        assertEquals(
                "Parameter(bias, (1, 16))", sparse.parameters().get(1).toString(), "a closed parameter still prints");
    }

    @Test
    void everyLayerKindFailsAfterItsOwnClose() {
        Tensor x = Tensor.constant(CPU.upload(new float[] {1, -2, 3, -4, 5, -6}, 2, 3));
        List<AbstractLayer> layers = List.of(
                new Flatten(),
                new ReLU(),
                new LayerNorm(3, CPU),
                new Linear(3, 3, true, 1, CPU),
                new FeatureAffine(3, CPU),
                new SparseLinear(
                        3, 3, SparseLinear.options().sparsity(0.5).seed(2).backend(CPU)),
                new KWinners(3, 0.67, KWinners.options().backend(CPU)),
                FixedSparseMap.repeatEach(3, 1, CPU));
        for (AbstractLayer layer : layers) {
            assertEquals(2, layer.forward(x).rows(), layer + " works while open");
            layer.close();
            layer.close();
            assertTrue(layer.isClosed());
            assertClosedError(() -> layer.forward(x), layer.toString());
        }
    }

    @Test
    void toCopiesParametersConnectionsStateAndModesBitForBit() {
        Sequential model = trained(Models.rich(CPU));
        model.train();
        model.layers().get(5).eval();
        ((Sequential) model.layers().get(6)).layers().get(1).eval();
        byte[] before = ModelFile.toBytes(model);
        float[] expected = predictWithModes(model, CPU);

        Sequential moved = model.to(OTHER_CPU);

        assertNotSame(model, moved);
        assertArrayEquals(before, ModelFile.toBytes(model), "the original is untouched");
        assertArrayEquals(before, ModelFile.toBytes(moved), "parameters, connections and saved state are equal");
        List<Parameter> original = model.parameters();
        List<Parameter> copies = moved.parameters();
        assertEquals(original.size(), copies.size());
        for (int i = 0; i < original.size(); i++) {
            assertSame(OTHER_CPU, copies.get(i).backend(), copies.get(i) + " is on the new backend");
            assertNotSame(original.get(i).value(), copies.get(i).value());
            assertArrayEquals(
                    bits(original.get(i).toArray()),
                    bits(copies.get(i).toArray()),
                    original.get(i).toString());
        }
        assertEquals(
                ((SparseLinear) model.layers().get(2)).connectivity(),
                ((SparseLinear) moved.layers().get(2)).connectivity());
        KWinners winners = (KWinners) model.layers().get(5);
        KWinners movedWinners = (KWinners) moved.layers().get(5);
        assertArrayEquals(bits(winners.dutyCycles()), bits(movedWinners.dutyCycles()));
        assertEquals(winners.boostStrength(), movedWinners.boostStrength());
        assertEquals(winners.learningIterations(), movedWinners.learningIterations());
        assertEquals(modes(model), modes(moved), "every layer keeps its training or evaluation mode");
        assertTrue(modes(model).contains(Boolean.FALSE) && modes(model).contains(Boolean.TRUE), "modes are mixed");

        assertArrayEquals(bits(expected), bits(predictWithModes(moved, OTHER_CPU)), "the same outputs, to the bit");
        model.close();
        assertArrayEquals(
                bits(expected),
                bits(predictWithModes(moved, OTHER_CPU)),
                "closing the original leaves the copy working");
        Sequential again = moved.to(OTHER_CPU);
        moved.close();
        assertArrayEquals(before, ModelFile.toBytes(again), "to(its own backend) is an independent copy too");
        again.close();
    }

    @Test
    void aMovedModelTrainsWithANewOptimizerLikeTheOriginal() {
        Sequential model = trained(Models.rich(CPU));
        Sequential moved = model.to(OTHER_CPU);
        try (SGD original = new SGD(model.parameters(), 0.05, 0.9);
                SGD copy = new SGD(moved.parameters(), 0.05, 0.9)) {
            Models.train(model, original, new DataLoader(Models.data(24, 5), 8, true, 3, true), 1, 0, 1, 0, -1, CPU);
            Models.train(moved, copy, new DataLoader(Models.data(24, 5), 8, true, 3, true), 1, 0, 1, 0, -1, OTHER_CPU);
        }
        assertArrayEquals(ModelFile.toBytes(model), ModelFile.toBytes(moved), "the same training from the same state");
        model.close();
        moved.close();
    }

    @Test
    void aLayerOfAnotherLibraryGetsCloseAndAClearToError() {
        Parameter scale = new Parameter("scale", CPU.upload(new float[] {2f}, 1, 1));
        Layer foreign = new Layer() {
            private boolean training = true;

            @Override
            public Tensor forward(Tensor input) {
                return Tensor.derived(input.value(), g -> {}, input, scale);
            }

            @Override
            public List<Parameter> parameters() {
                return List.of(scale);
            }

            @Override
            public void setTraining(boolean training) {
                this.training = training;
            }

            @Override
            public boolean isTraining() {
                return training;
            }
        };
        UnsupportedOperationException refused =
                assertThrows(UnsupportedOperationException.class, () -> foreign.to(OTHER_CPU));
        assertTrue(refused.getMessage().contains("AbstractLayer"), refused.getMessage());
        foreign.close();
        foreign.close();
        assertTrue(scale.isClosed(), "the default close frees the parameters");
        assertClosedError(scale::value, "Parameter(scale");
    }

    @Test
    void aLayerAModelFileCannotRebuildIsRefusedByToWithTheReason() {
        AbstractLayer unknown = new AbstractLayer() {
            private final Parameter gain = new Parameter("gain", CPU.upload(new float[] {1f, 2f}, 1, 2));

            @Override
            public Tensor forward(Tensor input) {
                return input;
            }

            @Override
            public List<Parameter> parameters() {
                return List.of(gain);
            }
        };
        UnsupportedOperationException refused =
                assertThrows(UnsupportedOperationException.class, () -> new Sequential(unknown).to(OTHER_CPU));
        assertTrue(refused.getMessage().contains("cannot move to cpu"), refused.getMessage());
        assertFalse(unknown.isClosed(), "the model is left as it was");
        unknown.close();
    }

    private static void assertClosedError(Executable use, String names) {
        IllegalStateException e = assertThrows(IllegalStateException.class, use);
        assertTrue(e.getMessage().contains(names) && e.getMessage().contains("closed"), e.getMessage());
    }

    private static Sequential trained(Sequential model) {
        try (Adam adam = new Adam(model.parameters(), 0.01)) {
            Models.train(model, adam, new DataLoader(Models.data(40, 4), 8, true, 1, true), 1, 0, 2, 0, -1, CPU);
        }
        return model;
    }

    private static Tensor input(Backend backend) {
        float[] values = new float[4 * Models.FEATURES];
        for (int i = 0; i < values.length; i++) {
            values[i] = (float) Math.sin(i * 0.37);
        }
        return Tensor.constant(backend.upload(values, 4, Models.FEATURES), 4, 1, 3, 4);
    }

    /** The output without gradients, in the layers' current modes; a training-mode layer's state moves on, so it runs once. */
    @SuppressWarnings("try") // the scope and the gradient mode are held for their effect
    private static float[] predictWithModes(Layer model, Backend backend) {
        try (MemoryScope scope = backend.newScope();
                GradMode off = GradMode.disable()) {
            return model.forward(input(backend)).toArray();
        }
    }

    /** The training flag of the model and of every layer inside it, depth first. */
    private static List<Boolean> modes(Layer model) {
        List<Boolean> modes = new ArrayList<>();
        modes.add(model.isTraining());
        if (model instanceof Sequential sequential) {
            sequential.layers().forEach(layer -> modes.addAll(modes(layer)));
        }
        return modes;
    }

    private static int[] bits(float[] values) {
        int[] bits = new int[values.length];
        for (int i = 0; i < values.length; i++) {
            bits[i] = Float.floatToRawIntBits(values[i]);
        }
        return bits;
    }
}
