package org.sparselinear.nn;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.sparselinear.api.Parameter;
import org.sparselinear.testing.GradientCheck;
import org.sparselinear.testing.Tensors;

class LayerNormTest {

    @Test
    void gradientsOfInputGammaAndBetaMatchFiniteDifferences() {
        LayerNorm norm = new LayerNorm(5);
        Parameter gamma = norm.parameters().get(0);
        Parameter beta = norm.parameters().get(1);
        Tensors.set(gamma, Tensors.uniform(2, 5, 0.5, 1.5));
        Tensors.set(beta, Tensors.uniform(3, 5, -0.5, 0.5));
        Parameter input = Tensors.leaf(Tensors.uniform(4, 3 * 5, -2, 2), 3, 5);
        GradientCheck.assertGradients(() -> norm.forward(input), List.of(input, gamma, beta));
    }

    @Test
    void forwardNormalisesEachRowWithTheBiasedVariance() {
        LayerNorm norm = new LayerNorm(4);
        Tensors.set(norm.parameters().get(0), new float[] {1, 2, 1, 1});
        Tensors.set(norm.parameters().get(1), new float[] {0, 0, 0, 10});
        float[] x = {1, 2, 3, 4, -3, -3, -3, 5};
        float[] y = norm.forward(Tensors.constant(x, 2, 4)).toArray();
        float[] expected = new float[8];
        float[] gamma = {1, 2, 1, 1};
        float[] beta = {0, 0, 0, 10};
        for (int r = 0; r < 2; r++) {
            double mean = 0;
            double variance = 0;
            for (int c = 0; c < 4; c++) {
                mean += x[r * 4 + c] / 4.0;
            }
            for (int c = 0; c < 4; c++) {
                variance += Math.pow(x[r * 4 + c] - mean, 2) / 4.0;
            }
            for (int c = 0; c < 4; c++) {
                expected[r * 4 + c] = (float) ((x[r * 4 + c] - mean) / Math.sqrt(variance + 1e-5) * gamma[c] + beta[c]);
            }
        }
        assertArrayEquals(expected, y, 1e-5f);
        // Row 0: mean 2.5, variance 1.25, so x = 1 maps to -1.5 / sqrt(1.25 + 1e-5).
        assertEquals(-1.341635, y[0], 1e-5);
    }

    @Test
    void startsAsTheIdentityAffineMapAndPrintsLikePyTorch() {
        LayerNorm norm = new LayerNorm(3);
        assertArrayEquals(new float[] {1, 1, 1}, norm.parameters().get(0).toArray());
        assertArrayEquals(new float[] {0, 0, 0}, norm.parameters().get(1).toArray());
        assertEquals("weight", norm.parameters().get(0).name());
        assertEquals("LayerNorm((2000,), eps=1e-05, elementwise_affine=true)", new LayerNorm(2000).toString());
    }

    @Test
    void rejectsBadSizes() {
        assertThrows(IllegalArgumentException.class, () -> new LayerNorm(0));
        var error = assertThrows(
                IllegalArgumentException.class, () -> new LayerNorm(3).forward(Tensors.constant(new float[4], 2, 2)));
        assertTrue(error.getMessage().contains("(N, 3)") && error.getMessage().contains("[2, 2]"), error.getMessage());
    }
}
