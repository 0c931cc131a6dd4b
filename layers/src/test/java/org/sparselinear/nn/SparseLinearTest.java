package org.sparselinear.nn;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;
import org.sparselinear.api.Connectivity;
import org.sparselinear.api.GradMode;
import org.sparselinear.api.Parameter;
import org.sparselinear.api.Tensor;
import org.sparselinear.api.Topology;
import org.sparselinear.nn.loss.MSELoss;
import org.sparselinear.nn.optim.SGD;
import org.sparselinear.testing.GradientCheck;
import org.sparselinear.testing.Tensors;

class SparseLinearTest {

    @Test
    void gradientsOfWeightValuesBiasAndInputMatchFiniteDifferences() {
        SparseLinear layer =
                new SparseLinear(6, 5, SparseLinear.options().sparsity(0.5).seed(3));
        Parameter input = Tensors.leaf(Tensors.uniform(1, 3 * 6, -1, 1), 3, 6);
        List<Parameter> leaves =
                List.of(input, layer.parameters().get(0), layer.parameters().get(1));
        GradientCheck.assertGradients(() -> layer.forward(input), leaves);
    }

    @Test
    void forwardEqualsTheDenseProductOfItsWeights() {
        SparseLinear layer =
                new SparseLinear(7, 4, SparseLinear.options().sparsity(0.6).seed(11));
        float[] x = Tensors.uniform(2, 3 * 7, -1, 1);
        float[][] w = layer.weight().toDense();
        float[] bias = layer.parameters().get(1).toArray();
        float[] y = layer.forward(Tensors.constant(x, 3, 7)).toArray();
        for (int b = 0; b < 3; b++) {
            for (int o = 0; o < 4; o++) {
                double expected = bias[o];
                for (int i = 0; i < 7; i++) {
                    expected += (double) x[b * 7 + i] * w[o][i];
                }
                assertEquals(expected, y[b * 4 + o], 1e-5, "y[" + b + ", " + o + "]");
            }
        }
    }

    @Test
    void userConnectivityGivesExactlyThoseConnections() {
        int[][] indices = {{2, 0, 1, 2, 0}, {3, 1, 0, 0, 4}};
        SparseLinear layer = new SparseLinear(
                5, 3, SparseLinear.options().connectivity(indices).seed(1));
        assertEquals(5, layer.nnz());
        assertArrayEquals(
                new int[][] {{0, 0, 1, 2, 2}, {1, 4, 0, 0, 3}}, layer.weight().indices());
        float[][] dense = layer.weight().toDense();
        for (int o = 0; o < 3; o++) {
            for (int i = 0; i < 5; i++) {
                boolean given = false;
                for (int k = 0; k < indices[0].length; k++) {
                    given |= indices[0][k] == o && indices[1][k] == i;
                }
                assertEquals(given, layer.connectivity().contains(o, i), "(" + o + ", " + i + ")");
                if (!given) {
                    assertEquals(0f, dense[o][i], "(" + o + ", " + i + ") is not a connection");
                }
            }
        }
        assertEquals(
                "SparseLinear(in_features=5, out_features=3, bias=true, sparsity=0.6667, nnz=5, topology=user)",
                layer.toString());
    }

    @Test
    void badUserConnectivityNamesTheEntry() {
        int[][] outOfRange = {{0, 3}, {0, 1}};
        var error = assertThrows(
                IllegalArgumentException.class,
                () -> new SparseLinear(2, 3, SparseLinear.options().connectivity(outOfRange)));
        assertTrue(error.getMessage().contains("connection 1"), error.getMessage());
        assertThrows(
                IllegalArgumentException.class, () -> SparseLinear.options().connectivity(new int[][] {{0, 1}}));
    }

    @ParameterizedTest
    @CsvSource({"10, 20, 0.9, 20", "784, 2000, 0.9, 156800", "7, 3, 0.4, 13", "100, 50, 0.99, 50", "5, 5, 0.0, 25"})
    void sparsityGivesRoundedConnectionCount(int in, int out, double sparsity, int expectedNnz) {
        SparseLinear layer = new SparseLinear(
                in, out, SparseLinear.options().sparsity(sparsity).seed(5));
        assertEquals(expectedNnz, layer.nnz());
        assertEquals(Math.round((1 - sparsity) * in * out), layer.nnz());
    }

    @Test
    void initialValuesAreUniformWithinOneOverSqrtIn() {
        SparseLinear layer =
                new SparseLinear(400, 300, SparseLinear.options().sparsity(0.8).seed(9));
        double bound = 1 / Math.sqrt(400);
        float[] weights = layer.weight().values();
        float[] bias = layer.parameters().get(1).toArray();
        for (float[] values : List.of(weights, bias)) {
            double min = Double.MAX_VALUE;
            double max = -Double.MAX_VALUE;
            double sum = 0;
            for (float v : values) {
                min = Math.min(min, v);
                max = Math.max(max, v);
                sum += v;
            }
            assertTrue(min >= -bound && max <= bound, "range [" + min + ", " + max + "] within +-" + bound);
            assertTrue(min < -0.95 * bound && max > 0.95 * bound, "fills the range: [" + min + ", " + max + "]");
            assertEquals(0, sum / values.length, 0.1 * bound, "mean");
        }
        // U(-b, b) has variance b^2 / 3.
        double squares = 0;
        for (float v : weights) {
            squares += v * v;
        }
        assertEquals(bound * bound / 3, squares / weights.length, 0.02 * bound * bound);
    }

    @Test
    void sameSeedGivesSameLayerAndManualSeedMakesDefaultsReproducible() {
        assertEquals(
                new SparseLinear(30, 20, SparseLinear.options().seed(4)).weight(),
                new SparseLinear(30, 20, SparseLinear.options().seed(4)).weight());
        assertNotEquals(
                new SparseLinear(30, 20, SparseLinear.options().seed(4)).connectivity(),
                new SparseLinear(30, 20, SparseLinear.options().seed(5)).connectivity());
        Init.manualSeed(77);
        SparseWeights first = new SparseLinear(30, 20).weight();
        SparseWeights second = new SparseLinear(30, 20).weight();
        Init.manualSeed(77);
        assertEquals(first, new SparseLinear(30, 20).weight());
        assertNotEquals(first.connectivity(), second.connectivity());
    }

    @Test
    void onlyExistingConnectionsAreParametersAndTrainingNeverCreatesOthers() {
        SparseLinear layer =
                new SparseLinear(12, 8, SparseLinear.options().sparsity(0.75).seed(2));
        assertEquals(layer.nnz() + 8, Parameters.count(layer.parameters()));
        float[] before = layer.weight().values();
        SGD optimizer = new SGD(layer.parameters(), 0.05, 0.9);
        MSELoss loss = new MSELoss(MSELoss.Reduction.MEAN);
        Tensor x = Tensors.constant(Tensors.uniform(3, 16 * 12, -1, 1), 16, 12);
        Tensor target = Tensors.constant(Tensors.uniform(4, 16 * 8, -1, 1), 16, 8);
        for (int step = 0; step < 50; step++) {
            optimizer.zeroGrad();
            loss.forward(layer.forward(x), target).backward();
            optimizer.step();
        }
        SparseWeights after = layer.weight();
        assertFalse(java.util.Arrays.equals(before, after.values()), "training changed the weights");
        float[][] dense = after.toDense();
        int nonZero = 0;
        for (int o = 0; o < 8; o++) {
            for (int i = 0; i < 12; i++) {
                if (!layer.connectivity().contains(o, i)) {
                    assertEquals(0f, dense[o][i], "(" + o + ", " + i + ") is not a connection");
                } else if (dense[o][i] != 0f) {
                    nonZero++;
                }
            }
        }
        assertEquals(layer.nnz(), nonZero);
        assertEquals(layer.nnz() + 8, Parameters.count(layer.parameters()));
    }

    @Test
    void toStringReadsLikeExtraRepr() {
        assertEquals(
                "SparseLinear(in_features=784, out_features=2000, bias=true, sparsity=0.9, nnz=156800, topology=random)",
                new SparseLinear(784, 2000, SparseLinear.options().seed(1)).toString());
        assertEquals(
                "SparseLinear(in_features=10, out_features=20, bias=false, sparsity=0.5, nnz=100, topology=random)",
                new SparseLinear(
                                10,
                                20,
                                SparseLinear.options().sparsity(0.5).bias(false).seed(1))
                        .toString());
    }

    @Test
    void withoutBiasTheOnlyParameterIsTheWeight() {
        SparseLinear layer =
                new SparseLinear(10, 4, SparseLinear.options().bias(false).seed(8));
        assertEquals(1, layer.parameters().size());
        assertEquals("weight", layer.parameters().get(0).name());
        assertFalse(layer.hasBias());
        float[] y = layer.forward(Tensors.constant(new float[10], 1, 10)).toArray();
        assertArrayEquals(new float[4], y, "zero input and no bias give zero output");
    }

    @Test
    void acceptsAConfiguredTopology() {
        Topology diagonal = new Topology() {
            @Override
            public String name() {
                return "diagonal";
            }

            @Override
            public Connectivity connect(int in, int out, double sparsity, long seed) {
                int n = Math.min(in, out);
                int[][] indices = new int[2][n];
                for (int k = 0; k < n; k++) {
                    indices[0][k] = k;
                    indices[1][k] = k;
                }
                return Connectivity.fromCoo(out, in, indices);
            }
        };
        SparseLinear layer =
                new SparseLinear(4, 3, SparseLinear.options().topology(diagonal).seed(1));
        assertArrayEquals(new int[][] {{0, 1, 2}, {0, 1, 2}}, layer.weight().indices());
        assertTrue(layer.toString().endsWith("nnz=3, topology=diagonal)"), layer.toString());
    }

    @ParameterizedTest
    @ValueSource(doubles = {1.0, -0.1, Double.NaN, 1.5})
    void rejectsSparsityOutsideZeroToOne(double sparsity) {
        var error = assertThrows(
                IllegalArgumentException.class, () -> SparseLinear.options().sparsity(sparsity));
        assertTrue(
                error.getMessage().contains("[0, 1)") && error.getMessage().contains(String.valueOf(sparsity)),
                error.getMessage());
    }

    @Test
    void rejectsBadSizesAndTopologies() {
        var in = assertThrows(IllegalArgumentException.class, () -> new SparseLinear(0, 5));
        assertTrue(in.getMessage().contains("in_features") && in.getMessage().contains("0"), in.getMessage());
        var out = assertThrows(IllegalArgumentException.class, () -> new SparseLinear(5, -2));
        assertTrue(out.getMessage().contains("out_features"), out.getMessage());
        var user = assertThrows(
                IllegalArgumentException.class,
                () -> new SparseLinear(5, 5, SparseLinear.options().topology("user")));
        assertTrue(user.getMessage().contains("connectivity"), user.getMessage());
        var unknown = assertThrows(
                IllegalArgumentException.class,
                () -> new SparseLinear(5, 5, SparseLinear.options().topology("no-such-topology")));
        assertTrue(unknown.getMessage().contains("no-such-topology"), unknown.getMessage());
        var huge = assertThrows(
                IllegalArgumentException.class,
                () -> new SparseLinear(
                        1_000_000, 1_000_000, SparseLinear.options().sparsity(0.5)));
        assertTrue(huge.getMessage().contains("int32"), huge.getMessage());
    }

    @Test
    void rejectsInputWithWrongFeatureCountNamingBothShapes() {
        SparseLinear layer = new SparseLinear(6, 4, SparseLinear.options().seed(1));
        var error = assertThrows(
                IllegalArgumentException.class, () -> layer.forward(Tensors.constant(new float[3 * 7], 3, 7)));
        assertTrue(error.getMessage().contains("(N, 6)") && error.getMessage().contains("[3, 7]"), error.getMessage());
        Tensor image = Tensor.constant(Tensors.backend().upload(new float[2 * 6], 2, 6), 2, 1, 2, 3);
        var flatten = assertThrows(IllegalArgumentException.class, () -> layer.forward(image));
        assertTrue(flatten.getMessage().contains("Flatten"), flatten.getMessage());
    }

    @Test
    @SuppressWarnings("try") // GradMode is held for its effect
    void recordsNoGraphWithGradientsOff() {
        SparseLinear layer = new SparseLinear(6, 4, SparseLinear.options().seed(1));
        try (GradMode off = GradMode.disable()) {
            assertFalse(layer.forward(Tensors.constant(new float[6], 1, 6)).requiresGrad());
        }
        assertTrue(layer.forward(Tensors.constant(new float[6], 1, 6)).requiresGrad());
    }

    @Test
    void aLayerWithoutConnectionsOutputsItsBiasAndTrains() {
        // round((1 - 0.9) * 2 * 2) = 0 connections.
        SparseLinear layer =
                new SparseLinear(2, 2, SparseLinear.options().sparsity(0.9).seed(1));
        assertEquals(0, layer.nnz());
        float[] bias = layer.parameters().get(1).toArray();
        Tensor out = layer.forward(Tensors.constant(new float[] {1, 2, 3, 4}, 2, 2));
        assertArrayEquals(new float[] {bias[0], bias[1], bias[0], bias[1]}, out.toArray());
        SparseLinear user = new SparseLinear(2, 2, SparseLinear.options().connectivity(new int[][] {{}, {}}));
        assertEquals(0, user.nnz());
    }

    @Test
    void denseViewHasAGuard() {
        SparseLinear layer = new SparseLinear(
                10_000, 2_000, SparseLinear.options().sparsity(0.9999).seed(1));
        var error =
                assertThrows(IllegalStateException.class, () -> layer.weight().toDense());
        assertTrue(error.getMessage().contains("indices()"), error.getMessage());
    }
}
