package org.sparselinear.nn;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.sparselinear.api.GradMode;
import org.sparselinear.api.MemoryScope;
import org.sparselinear.api.Parameter;
import org.sparselinear.api.Tensor;
import org.sparselinear.testing.GradientCheck;
import org.sparselinear.testing.Tensors;

class KWinnersTest {

    /** The layer's rule on the host, in double: boost, winners, duty cycles. */
    private static final class HostKWinners {
        final int features;
        final double density;
        final int period;
        final double[] dutyCycle;
        double strength;
        long seen;

        HostKWinners(int features, double density, double strength, int period) {
            this.features = features;
            this.density = density;
            this.strength = strength;
            this.period = period;
            this.dutyCycle = new double[features];
        }

        float[] forward(float[] x, int batch, int k, boolean training) {
            float[] boost = new float[features];
            for (int f = 0; f < features; f++) {
                boost[f] = (float) Math.exp(strength * (density - (float) dutyCycle[f]));
            }
            float[] y = new float[x.length];
            double[] wins = new double[features];
            for (int b = 0; b < batch; b++) {
                int row = b;
                List<Integer> order = new ArrayList<>();
                for (int f = 0; f < features; f++) {
                    order.add(f);
                }
                order.sort((p, q) -> {
                    float sp = x[row * features + p] * boost[p];
                    float sq = x[row * features + q] * boost[q];
                    return sp != sq ? Float.compare(sq, sp) : Integer.compare(p, q);
                });
                for (int j = 0; j < k; j++) {
                    int f = order.get(j);
                    y[b * features + f] = x[b * features + f];
                    wins[f]++;
                }
            }
            if (training) {
                seen += batch;
                long p = Math.max(batch, Math.min(period, seen));
                for (int f = 0; f < features; f++) {
                    dutyCycle[f] = (dutyCycle[f] * (p - batch) + wins[f]) / p;
                }
            }
            return y;
        }
    }

    @Test
    @SuppressWarnings("try")
    void matchesTheHostRuleOverTrainingStepsAndLeavesDutyCyclesAloneInEvaluation() {
        int features = 50;
        int batch = 8;
        KWinners layer = new KWinners(
                features,
                0.2,
                KWinners.options().boostStrength(2).dutyCyclePeriod(20).kInferenceFactor(1.5));
        assertEquals(10, layer.k());
        assertEquals(15, layer.kInference());
        HostKWinners host = new HostKWinners(features, 0.2, 2, 20);
        SplittableRandom random = new SplittableRandom(5);
        for (int step = 0; step < 6; step++) {
            float[] x = new float[batch * features];
            for (int i = 0; i < x.length; i++) {
                x[i] = (float) random.nextDouble(-1, 1);
            }
            try (MemoryScope scope = Tensors.backend().newScope()) {
                float[] y = layer.forward(Tensors.constant(x, batch, features)).toArray();
                assertArrayEquals(host.forward(x, batch, 10, true), y, "output at step " + step);
            }
            float[] dutyCycles = layer.dutyCycles();
            for (int f = 0; f < features; f++) {
                assertEquals(host.dutyCycle[f], dutyCycles[f], 1e-5, "duty cycle " + f + " after step " + step);
            }
        }
        assertEquals(48, layer.learningIterations());
        float[] frozen = layer.dutyCycles();
        layer.eval();
        float[] x = new float[batch * features];
        for (int i = 0; i < x.length; i++) {
            x[i] = (float) random.nextDouble(-1, 1);
        }
        try (MemoryScope scope = Tensors.backend().newScope();
                GradMode off = GradMode.disable()) {
            float[] y = layer.forward(Tensors.constant(x, batch, features)).toArray();
            assertArrayEquals(host.forward(x, batch, 15, false), y, "evaluation keeps kInference winners");
            int kept = 0;
            for (float v : y) {
                kept += v != 0 ? 1 : 0;
            }
            assertEquals(15 * batch, kept);
        }
        assertArrayEquals(frozen, layer.dutyCycles(), "evaluation does not change the duty cycles");
        assertEquals(48, layer.learningIterations());
    }

    /** Rows of distinct values at least 0.1 apart (a shuffled ladder), so a 1e-2 step never changes the winners. */
    private static float[] ladder(long seed, int rows, int features) {
        SplittableRandom random = new SplittableRandom(seed);
        float[] x = new float[rows * features];
        for (int r = 0; r < rows; r++) {
            for (int f = 0; f < features; f++) {
                x[r * features + f] = 0.1f * f - 1f + 0.05f;
            }
            for (int f = features - 1; f > 0; f--) {
                int j = random.nextInt(f + 1);
                float swap = x[r * features + f];
                x[r * features + f] = x[r * features + j];
                x[r * features + j] = swap;
            }
        }
        return x;
    }

    @Test
    void gradientFlowsThroughTheWinnersOnlyInTraining() {
        KWinners layer = new KWinners(20, 0.3, KWinners.options().boostStrength(0));
        Parameter input = Tensors.leaf(ladder(3, 4, 20), 4, 20);
        GradientCheck.assertGradients(() -> layer.forward(input), List.of(input));
        float[] grad = gradientOfSum(layer, input);
        int winners = 0;
        for (float g : grad) {
            assertTrue(g == 0f || g == 1f, "a gradient is 1 (winner) or 0, got " + g);
            winners += (int) g;
        }
        assertEquals(4 * 6, winners);
    }

    @Test
    void gradientInEvaluationUsesTheInferenceWinners() {
        KWinners layer = new KWinners(20, 0.3, KWinners.options().kInferenceFactor(1.5));
        layer.eval();
        Parameter input = Tensors.leaf(ladder(4, 3, 20), 3, 20);
        GradientCheck.assertGradients(() -> layer.forward(input), List.of(input));
        float[] grad = gradientOfSum(layer, input);
        double sum = 0;
        for (float g : grad) {
            sum += g;
        }
        assertEquals(3 * 9, sum, "floor(6 * 1.5) = 9 winners per row");
    }

    @SuppressWarnings("try")
    private static float[] gradientOfSum(KWinners layer, Parameter input) {
        try (MemoryScope scope = Tensors.backend().newScope()) {
            input.zeroGrad();
            Tensor y = layer.forward(input);
            float[] ones = new float[(int) y.value().size()];
            java.util.Arrays.fill(ones, 1f);
            Tensors.weightedSum(y, ones).backward();
            return Tensors.grad(input);
        }
    }

    @Test
    void boostStrengthDecaysOncePerEpoch() {
        KWinners kWinners = new KWinners(10, 0.5);
        Sequential model = new Sequential(new Linear(4, 10), kWinners);
        assertEquals(1.0, kWinners.boostStrength());
        TrainingHooks.afterEpoch(model);
        assertEquals(0.9, kWinners.boostStrength(), 1e-12);
        TrainingHooks.afterStep(model);
        assertEquals(0.9, kWinners.boostStrength(), 1e-12, "steps do not decay it");
        TrainingHooks.afterEpoch(model);
        assertEquals(0.81, kWinners.boostStrength(), 1e-12);
        assertEquals(
                "KWinners(n=10, density=0.5, k=5, k_inference=5, boost_strength=0.81, boost_strength_factor=0.9, "
                        + "duty_cycle_period=1000)",
                kWinners.toString());
    }

    @Test
    void rejectsSettingsThatKeepNoFeatureOrTooMany() {
        assertThrows(IllegalArgumentException.class, () -> new KWinners(10, 0));
        assertThrows(IllegalArgumentException.class, () -> new KWinners(10, 1.5));
        var none = assertThrows(IllegalArgumentException.class, () -> new KWinners(10, 0.04));
        assertTrue(none.getMessage().contains("= 0 features"), none.getMessage());
        var many = assertThrows(
                IllegalArgumentException.class,
                () -> new KWinners(10, 0.8, KWinners.options().kInferenceFactor(1.5)));
        assertTrue(many.getMessage().contains("kInferenceFactor"), many.getMessage());
        assertThrows(IllegalArgumentException.class, () -> KWinners.options().boostStrengthFactor(1.1));
        assertThrows(IllegalArgumentException.class, () -> KWinners.options().dutyCyclePeriod(0));
        KWinners layer = new KWinners(10, 0.5);
        var shape = assertThrows(
                IllegalArgumentException.class, () -> layer.forward(Tensors.constant(new float[12], 2, 6)));
        assertTrue(shape.getMessage().contains("10 features"), shape.getMessage());
    }
}
