package org.sparselinear.nn;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.sparselinear.api.Parameter;
import org.sparselinear.api.Tensor;
import org.sparselinear.nn.loss.MSELoss;
import org.sparselinear.nn.optim.Adagrad;
import org.sparselinear.testing.Tensors;

/**
 * Adagrad against hand-computed steps (PyTorch's semantics), with and without learning-rate decay,
 * weight decay and an initial accumulator value, and its exact sparse behaviour: an entry of zero
 * gradient keeps its value.
 */
class AdagradTest {

    private static Linear tinyLinear() {
        return OptimizerTest.tinyLinear();
    }

    @Test
    void twoPlainStepsMatchAHandComputation() {
        Linear layer = tinyLinear();
        Adagrad adagrad = new Adagrad(layer.parameters(), 0.1);
        // Step 1: y = 0.1, g = 2y (x, 1) = (0.2, 0.4 | 0.2), sum = g^2, g / sqrt(sum) = 1: p -= 0.1.
        OptimizerTest.step(layer, adagrad);
        assertArrayEquals(new float[] {0.4f, -0.35f}, layer.parameters().get(0).toArray(), 1e-6f);
        assertArrayEquals(new float[] {0f}, layer.parameters().get(1).toArray(), 1e-6f);
        // Step 2: y = 0.4 - 0.7 + 0 = -0.3, g = (-0.6, -1.2 | -0.6), sum = (0.4, 1.6 | 0.4),
        // g / sqrt(sum) = -0.9486833 for each: p += 0.09486833.
        OptimizerTest.step(layer, adagrad);
        assertArrayEquals(
                new float[] {0.49486833f, -0.25513167f},
                layer.parameters().get(0).toArray(),
                1e-6f);
        assertArrayEquals(new float[] {0.09486833f}, layer.parameters().get(1).toArray(), 1e-6f);
        assertEquals(2, adagrad.steps());
    }

    @Test
    void twoStepsWithDecaysAndAnInitialSumMatchAHandComputation() {
        Linear layer = tinyLinear();
        Adagrad adagrad = new Adagrad(layer.parameters(), 0.1, 0.5, 0.1, 0.1, 1e-10);
        // Step 1 at lr 0.1: d = g + 0.1 p = (0.25, 0.375 | 0.21), sum = 0.1 + d^2 = (0.1625, 0.240625 | 0.1441),
        // p -= 0.1 d / sqrt(sum) = (0.0620174, 0.0764471 | 0.0553206).
        OptimizerTest.step(layer, adagrad);
        assertArrayEquals(
                new float[] {0.43798263f, -0.32644708f},
                layer.parameters().get(0).toArray(),
                1e-6f);
        assertArrayEquals(new float[] {0.04467935f}, layer.parameters().get(1).toArray(), 1e-6f);
        // Step 2 at lr 0.1 / (1 + 0.5) = 0.0666667: y = -0.1702322, g = 2y (1, 2 | 1),
        // d = g + 0.1 p = (-0.2966665, -0.7135221 | -0.3359964), sum = (0.2505108, 0.7498120 | 0.2569936),
        // p -= 0.0666667 d / sqrt(sum).
        OptimizerTest.step(layer, adagrad);
        assertArrayEquals(
                new float[] {0.47749777f, -0.27150929f},
                layer.parameters().get(0).toArray(),
                1e-6f);
        assertArrayEquals(new float[] {0.08886510f}, layer.parameters().get(1).toArray(), 1e-6f);
    }

    @Test
    void anEntryOfZeroGradientKeepsItsValueExactlyWithoutWeightDecay() {
        Linear layer = tinyLinear();
        Tensor onlyFirstFeature = Tensors.constant(new float[] {1, 0}, 1, 2);
        Tensor zero = Tensors.constant(new float[] {0}, 1, 1);
        Adagrad adagrad = new Adagrad(layer.parameters(), 0.1);
        for (int step = 0; step < 3; step++) {
            adagrad.zeroGrad();
            new MSELoss(MSELoss.Reduction.SUM)
                    .forward(layer.forward(onlyFirstFeature), zero)
                    .backward();
            adagrad.step();
        }
        float[] weights = layer.parameters().get(0).toArray();
        assertEquals(
                Float.floatToIntBits(-0.25f),
                Float.floatToIntBits(weights[1]),
                "the weight of an input that is always 0 has a zero gradient: untouched, got " + weights[1]);
        assertTrue(weights[0] != 0.5f, "the weight of the seen input moved");
    }

    @Test
    void learningRateAndBadArguments() {
        List<Parameter> parameters = tinyLinear().parameters();
        Adagrad adagrad = new Adagrad(parameters, 0.05);
        adagrad.setLearningRate(0.02);
        assertEquals(0.02, adagrad.learningRate(), 1e-9);
        assertEquals(
                "Adagrad(lr=0.02, lr_decay=0.0, weight_decay=0.0, initial_accumulator_value=0.0, eps=1.0E-10)",
                adagrad.toString());
        var lr = assertThrows(IllegalArgumentException.class, () -> new Adagrad(parameters, -0.1));
        assertTrue(
                lr.getMessage().contains("Adagrad learning rate")
                        && lr.getMessage().contains("-0.1"),
                lr.getMessage());
        var initial = assertThrows(IllegalArgumentException.class, () -> new Adagrad(parameters, 0.1, 0, 0, -1, 1e-10));
        assertTrue(initial.getMessage().contains("initial accumulator value"), initial.getMessage());
        assertThrows(IllegalArgumentException.class, () -> new Adagrad(parameters, 0.1, -0.5, 0, 0, 1e-10));
        assertThrows(IllegalArgumentException.class, () -> new Adagrad(parameters, 0.1, 0, Double.NaN, 0, 1e-10));
        assertThrows(IllegalArgumentException.class, () -> new Adagrad(parameters, 0.1, 0, 0, 0, 0));
        assertThrows(IllegalArgumentException.class, () -> new Adagrad(List.of(), 0.1));
        assertThrows(IllegalArgumentException.class, () -> adagrad.setLearningRate(0));
    }
}
