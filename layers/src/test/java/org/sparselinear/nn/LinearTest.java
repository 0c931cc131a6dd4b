package org.sparselinear.nn;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.sparselinear.api.Parameter;
import org.sparselinear.testing.GradientCheck;
import org.sparselinear.testing.Tensors;

class LinearTest {

    @Test
    void gradientsOfWeightBiasAndInputMatchFiniteDifferences() {
        Linear layer = new Linear(5, 4, true, 3);
        Parameter input = Tensors.leaf(Tensors.uniform(1, 3 * 5, -1, 1), 3, 5);
        List<Parameter> leaves = new ArrayList<>(layer.parameters());
        leaves.add(input);
        GradientCheck.assertGradients(() -> layer.forward(input), leaves);
    }

    @Test
    void forwardIsXTimesWTransposedPlusBias() {
        Linear layer = new Linear(3, 2, true, 1);
        Tensors.set(layer.parameters().get(0), new float[] {1, 2, 3, -1, 0, 0.5f});
        Tensors.set(layer.parameters().get(1), new float[] {0.25f, -2});
        float[] y = layer.forward(Tensors.constant(new float[] {1, 1, 1, 2, -1, 4}, 2, 3))
                .toArray();
        assertArrayEquals(new float[] {6.25f, -2.5f, 12.25f, -2}, y, 1e-6f);
    }

    @Test
    void initialValuesAreWithinOneOverSqrtInAndReproducible() {
        Linear layer = new Linear(64, 32, true, 7);
        double bound = 1 / Math.sqrt(64);
        float[] weight = layer.parameters().get(0).toArray();
        assertEquals(64 * 32, weight.length);
        double max = 0;
        for (float[] values : List.of(weight, layer.parameters().get(1).toArray())) {
            for (float v : values) {
                assertTrue(Math.abs(v) <= bound, v + " within +-" + bound);
                max = Math.max(max, Math.abs(v));
            }
        }
        assertTrue(max > 0.95 * bound, "fills the range, max |w| = " + max);
        assertArrayEquals(
                weight, new Linear(64, 32, true, 7).parameters().get(0).toArray());
        assertNotEquals(
                weight[0], new Linear(64, 32, true, 8).parameters().get(0).toArray()[0]);
    }

    @Test
    void biasCanBeLeftOutAndToStringSaysSo() {
        Linear layer = new Linear(3, 2, false);
        assertEquals(1, layer.parameters().size());
        assertEquals("Linear(in_features=3, out_features=2, bias=false)", layer.toString());
        assertEquals("Linear(in_features=784, out_features=2000, bias=true)", new Linear(784, 2000).toString());
    }

    @Test
    void rejectsBadSizesAndInputs() {
        assertThrows(IllegalArgumentException.class, () -> new Linear(0, 3));
        assertThrows(IllegalArgumentException.class, () -> new Linear(3, -1));
        Linear layer = new Linear(3, 2);
        var error =
                assertThrows(IllegalArgumentException.class, () -> layer.forward(Tensors.constant(new float[4], 1, 4)));
        assertTrue(error.getMessage().contains("(N, 3)") && error.getMessage().contains("[1, 4]"), error.getMessage());
    }
}
