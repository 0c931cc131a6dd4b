package org.sparselinear.nn;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.function.Supplier;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.sparselinear.api.Activation;
import org.sparselinear.api.GradMode;
import org.sparselinear.api.Layer;
import org.sparselinear.api.Parameter;
import org.sparselinear.api.Tensor;
import org.sparselinear.io.ModelFile;
import org.sparselinear.testing.GradientCheck;
import org.sparselinear.testing.Tensors;

/** {@link Sigmoid}, {@link Tanh} and {@link GELU} (and {@link ReLU}, which shares their body): values, gradients, saving. */
class ElementwiseLayersTest {

    private static final float[] POINTS = {-2, -1, 0, 0.5f, 1, 3};

    @TempDir
    Path temp;

    record Case(String kind, Activation function, Supplier<Layer> factory, float[] expected) {
        @Override
        public String toString() {
            return kind;
        }
    }

    /** Each layer with its values at {@link #POINTS}, computed by hand in double (PyTorch's torch.sigmoid, torch.tanh, gelu(approximate='tanh')). */
    static List<Case> layers() {
        return List.of(
                new Case("Sigmoid", Activation.SIGMOID, Sigmoid::new, new float[] {
                    0.1192029f, 0.2689414f, 0.5f, 0.6224593f, 0.7310586f, 0.9525741f
                }),
                new Case("Tanh", Activation.TANH, Tanh::new, new float[] {
                    -0.9640276f, -0.7615942f, 0f, 0.4621172f, 0.7615942f, 0.9950548f
                }),
                new Case("GELU", Activation.GELU, GELU::new, new float[] {
                    -0.0454023f, -0.1588080f, 0f, 0.3457140f, 0.8411920f, 2.9963626f
                }));
    }

    @ParameterizedTest
    @MethodSource("layers")
    void valuesMatchHandComputationsAndTheActivationFormula(Case c) {
        Layer layer = c.factory().get();
        assertEquals(c.kind() + "()", layer.toString());
        assertEquals(c.function(), ((ActivationLayer) layer).function());
        Tensor input = Tensor.constant(Tensors.backend().upload(POINTS, 1, 6), 1, 2, 3);
        Tensor output = layer.forward(input);
        assertArrayEquals(new int[] {1, 2, 3}, output.shape(), "keeps the logical shape");
        assertArrayEquals(c.expected(), output.toArray(), 1e-6f);

        float[] x = Tensors.uniform(9, 40, -4, 4);
        float[] y = layer.forward(Tensors.constant(x, 5, 8)).toArray();
        for (int i = 0; i < x.length; i++) {
            double expected = c.function().apply(x[i]);
            assertEquals(expected, y[i], 1e-6 * Math.max(1, Math.abs(expected)), "element " + i + " at " + x[i]);
        }
    }

    @ParameterizedTest
    @MethodSource("layers")
    void gradientMatchesFiniteDifferences(Case c) {
        Layer layer = c.factory().get();
        Parameter input = Tensors.leaf(Tensors.uniform(5, 4 * 6, -3, 3), 4, 6);
        GradientCheck.assertGradients(() -> layer.forward(input), List.of(input));
    }

    @ParameterizedTest
    @MethodSource("layers")
    void gradientIsTheDerivativeTimesTheUpstreamGradient(Case c) {
        Layer layer = c.factory().get();
        float[] x = Tensors.uniform(6, 12, -3, 3);
        float[] r = Tensors.uniform(7, 12, -1, 1);
        Parameter input = Tensors.leaf(x, 3, 4);
        Tensor output = layer.forward(input);
        float[] y = output.toArray();
        Tensors.weightedSum(output, r).backward();
        float[] grad = Tensors.grad(input);
        for (int i = 0; i < x.length; i++) {
            double expected = r[i] * c.function().derivative(x[i], y[i]);
            assertEquals(expected, grad[i], 1e-6, "element " + i);
        }
    }

    @ParameterizedTest
    @MethodSource("layers")
    void withGradientsOffNoGraphIsBuiltAndNullIsRefused(Case c) {
        Layer layer = c.factory().get();
        Parameter input = Tensors.leaf(Tensors.uniform(8, 6, -1, 1), 2, 3);
        try (GradMode off = GradMode.disable()) {
            assertFalse(layer.forward(input).requiresGrad());
        }
        NullPointerException e = assertThrows(NullPointerException.class, () -> layer.forward(null));
        assertEquals(c.kind() + " input", e.getMessage());
        layer.close();
        assertThrows(IllegalStateException.class, () -> layer.forward(input));
    }

    @Test
    void aModelWithEveryActivationSavesAndLoadsToTheSameOutputs() throws IOException {
        Sequential model = new Sequential(
                new Linear(6, 5, true, 1),
                new Sigmoid(),
                new Linear(5, 5, true, 2),
                new Tanh(),
                new Linear(5, 4, true, 3),
                new GELU(),
                new ReLU());
        Path file = temp.resolve("activations.safetensors");
        model.save(file);
        Sequential loaded = Sequential.load(file);
        assertEquals(model.toString(), loaded.toString());
        for (int i = 0; i < model.layers().size(); i++) {
            assertEquals(
                    model.layers().get(i).getClass(), loaded.layers().get(i).getClass());
        }
        Tensor x = Tensors.constant(Tensors.uniform(4, 3 * 6, -2, 2), 3, 6);
        assertArrayEquals(model.forward(x).toArray(), loaded.forward(x).toArray(), 0f, "bit for bit");
        assertArrayEquals(ModelFile.toBytes(model), ModelFile.toBytes(loaded), "the file again, byte for byte");
    }
}
