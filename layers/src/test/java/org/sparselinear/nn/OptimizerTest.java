package org.sparselinear.nn;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.sparselinear.api.MemoryScope;
import org.sparselinear.api.Parameter;
import org.sparselinear.api.Tensor;
import org.sparselinear.nn.loss.MSELoss;
import org.sparselinear.nn.optim.Adam;
import org.sparselinear.nn.optim.Optimizer;
import org.sparselinear.nn.optim.SGD;
import org.sparselinear.testing.Tensors;

class OptimizerTest {

    private static final Tensor X = Tensors.constant(new float[] {1, 2}, 1, 2);
    private static final Tensor ZERO = Tensors.constant(new float[] {0}, 1, 1);

    /** Linear(2, 1) with w = (0.5, -0.25), b = 0.1; loss (w.x + b)^2 at x = (1, 2). */
    static Linear tinyLinear() {
        Linear layer = new Linear(2, 1, true, 0);
        Tensors.set(layer.parameters().get(0), new float[] {0.5f, -0.25f});
        Tensors.set(layer.parameters().get(1), new float[] {0.1f});
        return layer;
    }

    /** One step of {@code optimizer} on the loss of {@link #tinyLinear()}. */
    static void step(Linear layer, Optimizer optimizer) {
        optimizer.zeroGrad();
        new MSELoss(MSELoss.Reduction.SUM).forward(layer.forward(X), ZERO).backward();
        optimizer.step();
    }

    @Test
    void sgdWithMomentumMatchesTwoHandComputedSteps() {
        Linear layer = tinyLinear();
        SGD sgd = new SGD(layer.parameters(), 0.1, 0.9);
        // Step 1: y = 0.1, g = 2y (x, 1) = (0.2, 0.4 | 0.2), v = g, p = (0.48, -0.29 | 0.08).
        step(layer, sgd);
        assertArrayEquals(new float[] {0.48f, -0.29f}, layer.parameters().get(0).toArray(), 1e-6f);
        assertArrayEquals(new float[] {0.08f}, layer.parameters().get(1).toArray(), 1e-6f);
        // Step 2: y = -0.02, g = (-0.04, -0.08 | -0.04), v = 0.9 v + g = (0.14, 0.28 | 0.14).
        step(layer, sgd);
        assertArrayEquals(
                new float[] {0.466f, -0.318f}, layer.parameters().get(0).toArray(), 1e-6f);
        assertArrayEquals(new float[] {0.066f}, layer.parameters().get(1).toArray(), 1e-6f);
    }

    @Test
    void nesterovWithWeightDecayMatchesAHandComputedStep() {
        Linear layer = tinyLinear();
        SGD sgd = new SGD(layer.parameters(), 0.1, 0.5, true, 0.1);
        // d = g + 0.1 p = (0.25, 0.375 | 0.21); v = d; p -= 0.1 (d + 0.5 v) = 0.15 d.
        step(layer, sgd);
        assertArrayEquals(
                new float[] {0.4625f, -0.30625f}, layer.parameters().get(0).toArray(), 1e-6f);
        assertArrayEquals(new float[] {0.0685f}, layer.parameters().get(1).toArray(), 1e-6f);
    }

    @Test
    void adamFirstStepMovesEachParameterByTheLearningRateAgainstItsGradient() {
        Linear layer = tinyLinear();
        Adam adam = new Adam(layer.parameters(), 0.01);
        step(layer, adam);
        // The bias-corrected ratio m / sqrt(v) is g / |g| on the first step; every g > 0 here.
        assertArrayEquals(new float[] {0.49f, -0.26f}, layer.parameters().get(0).toArray(), 1e-6f);
        assertArrayEquals(new float[] {0.09f}, layer.parameters().get(1).toArray(), 1e-6f);
        assertEquals(1, adam.steps());
    }

    @Test
    void sgdAndAdamFitASmallRegression() {
        assertFits(parameters -> new SGD(parameters, 0.05, 0.9));
        assertFits(parameters -> new Adam(parameters, 0.05));
        assertFits(parameters -> new SGD(parameters, 0.05, 0.9, true, 0));
    }

    @SuppressWarnings("try") // the scope is held for its effect
    private static void assertFits(Function<List<Parameter>, Optimizer> optimizerFor) {
        // y = x . (1, -2, 0.5, 3) + 0.7 on 32 random points.
        float[] x = Tensors.uniform(21, 32 * 4, -1, 1);
        float[] y = new float[32];
        float[] truth = {1, -2, 0.5f, 3};
        for (int b = 0; b < 32; b++) {
            y[b] = 0.7f;
            for (int i = 0; i < 4; i++) {
                y[b] += x[b * 4 + i] * truth[i];
            }
        }
        Tensor input = Tensors.constant(x, 32, 4);
        Tensor target = Tensors.constant(y, 32, 1);
        Linear model = new Linear(4, 1, true, 5);
        Optimizer optimizer = optimizerFor.apply(model.parameters());
        MSELoss mse = new MSELoss();
        float first = Float.NaN;
        float last = Float.NaN;
        for (int step = 0; step < 200; step++) {
            try (MemoryScope scope = Tensors.backend().newScope()) {
                optimizer.zeroGrad();
                Tensor loss = mse.forward(model.forward(input), target);
                last = loss.item();
                if (step == 0) {
                    first = last;
                }
                loss.backward();
                optimizer.step();
            }
        }
        assertTrue(first > 1, optimizer + ": starting loss " + first);
        assertTrue(last < 1e-3 * first, optimizer + ": loss went from " + first + " to " + last);
    }

    @Test
    void zeroGradClearsEveryGradient() {
        Linear layer = tinyLinear();
        SGD sgd = new SGD(layer.parameters(), 0.1);
        new MSELoss().forward(layer.forward(X), ZERO).backward();
        assertTrue(Tensors.grad(layer.parameters().get(0))[0] != 0);
        sgd.zeroGrad();
        for (Parameter parameter : layer.parameters()) {
            assertArrayEquals(new float[parameter.columns()], Tensors.grad(parameter));
        }
    }

    @ParameterizedTest
    @ValueSource(doubles = {0, -0.1, Double.NaN, Double.POSITIVE_INFINITY})
    void rejectsBadLearningRates(double lr) {
        List<Parameter> parameters = tinyLinear().parameters();
        var sgd = assertThrows(IllegalArgumentException.class, () -> new SGD(parameters, lr));
        assertTrue(
                sgd.getMessage().contains("learning rate") && sgd.getMessage().contains(String.valueOf(lr)),
                sgd.getMessage());
        assertThrows(IllegalArgumentException.class, () -> new Adam(parameters, lr));
    }

    @Test
    void rejectsBadHyperparametersAndParameterLists() {
        List<Parameter> parameters = tinyLinear().parameters();
        assertThrows(IllegalArgumentException.class, () -> new SGD(parameters, 0.1, -0.1));
        assertThrows(IllegalArgumentException.class, () -> new SGD(parameters, 0.1, 1.0));
        assertThrows(IllegalArgumentException.class, () -> new SGD(parameters, 0.1, 0, true, 0));
        assertThrows(IllegalArgumentException.class, () -> new SGD(parameters, 0.1, 0.9, false, -1));
        assertThrows(IllegalArgumentException.class, () -> new Adam(parameters, 0.1, 1.0, 0.999, 1e-8, 0));
        assertThrows(IllegalArgumentException.class, () -> new Adam(parameters, 0.1, 0.9, 0.999, 0, 0));
        var empty = assertThrows(IllegalArgumentException.class, () -> new SGD(List.of(), 0.1));
        assertTrue(empty.getMessage().contains("empty"), empty.getMessage());
        assertThrows(IllegalArgumentException.class, () -> new Adam(List.of(), 0.1));
        assertThrows(NullPointerException.class, () -> new SGD(null, 0.1));
        List<Parameter> twice = new ArrayList<>(parameters);
        twice.add(parameters.get(0));
        var duplicate = assertThrows(IllegalArgumentException.class, () -> new Adam(twice, 0.1));
        assertTrue(duplicate.getMessage().contains("more than once"), duplicate.getMessage());
    }

    @Test
    void aNewLearningRateDrivesTheNextSteps() {
        Linear layer = tinyLinear();
        SGD sgd = new SGD(layer.parameters(), 0.1, 0.9);
        step(layer, sgd);
        sgd.setLearningRate(0.05);
        assertEquals(0.05, sgd.learningRate(), 1e-9);
        // Step 2 at lr 0.05: v = (0.14, 0.28 | 0.14) as in the hand-computed run, p -= 0.05 v.
        step(layer, sgd);
        assertArrayEquals(
                new float[] {0.473f, -0.304f}, layer.parameters().get(0).toArray(), 1e-6f);
        assertArrayEquals(new float[] {0.073f}, layer.parameters().get(1).toArray(), 1e-6f);

        Linear other = tinyLinear();
        Adam adam = new Adam(other.parameters(), 0.1);
        adam.setLearningRate(0.02);
        // Adam's first step moves every parameter by lr (m / sqrt(v) = sign(g) after bias correction).
        step(other, adam);
        assertArrayEquals(new float[] {0.48f, -0.27f}, other.parameters().get(0).toArray(), 1e-5f);
        assertThrows(IllegalArgumentException.class, () -> adam.setLearningRate(Double.NaN));
    }
}
