package org.sparselinear.nn.optim;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.function.Executable;
import org.sparselinear.api.Parameter;
import org.sparselinear.testing.Tensors;

/** Clipping by global norm: the norm over all gradients, scaled to the maximum exactly, small ones left alone. */
class GradientClippingTest {

    /** Two parameters with gradients (3, 4) and (12): global norm sqrt(9 + 16 + 144) = 13. */
    private static List<Parameter> withGradients(float[] first, float[] second) {
        Parameter a = Tensors.leaf(new float[first.length], 1, first.length);
        Parameter b = Tensors.leaf(new float[second.length], 1, second.length);
        Tensors.backend().copy(Tensors.backend().upload(first, 1, first.length), a.grad());
        Tensors.backend().copy(Tensors.backend().upload(second, 1, second.length), b.grad());
        return List.of(a, b);
    }

    @Test
    void largeGradientsAreScaledToTheMaximumNorm() {
        List<Parameter> parameters = withGradients(new float[] {3, 4}, new float[] {12});
        assertEquals(13, GradientClipping.clipByGlobalNorm(parameters, 6.5), 0, "the norm before clipping");
        assertArrayEquals(new float[] {1.5f, 2}, Tensors.grad(parameters.get(0)), "scaled by 6.5 / 13");
        assertArrayEquals(new float[] {6}, Tensors.grad(parameters.get(1)));
        assertEquals(6.5, GradientClipping.clipByGlobalNorm(parameters, 6.5), 0, "now at the maximum");
        assertArrayEquals(new float[] {1.5f, 2}, Tensors.grad(parameters.get(0)), "and left there");

        GradientClipping.clipByGlobalNorm(parameters, 1);
        float[] a = Tensors.grad(parameters.get(0));
        float[] b = Tensors.grad(parameters.get(1));
        assertArrayEquals(new float[] {3 / 13f, 4 / 13f}, a, 1e-7f);
        assertArrayEquals(new float[] {12 / 13f}, b, 1e-7f);
        assertEquals(1, Math.sqrt(a[0] * a[0] + a[1] * a[1] + b[0] * b[0]), 1e-6);
    }

    @Test
    void smallGradientsAreLeftUnchanged() {
        List<Parameter> parameters = withGradients(new float[] {0.3f, -0.4f}, new float[] {1.2f});
        assertEquals(1.3, GradientClipping.clipByGlobalNorm(parameters, 2), 1e-6);
        assertArrayEquals(new float[] {0.3f, -0.4f}, Tensors.grad(parameters.get(0)));
        assertArrayEquals(new float[] {1.2f}, Tensors.grad(parameters.get(1)));
        List<Parameter> zero = withGradients(new float[2], new float[1]);
        assertEquals(0, GradientClipping.clipByGlobalNorm(zero, 1), 0);
    }

    @Test
    void aNonFiniteNormFailsAndChangesNothing() {
        List<Parameter> parameters = withGradients(new float[] {3, Float.NaN}, new float[] {12});
        ArithmeticException e =
                assertThrows(ArithmeticException.class, () -> GradientClipping.clipByGlobalNorm(parameters, 1));
        assertTrue(e.getMessage().contains("NaN or infinity") && e.getMessage().contains("nothing was clipped"));
        assertArrayEquals(new float[] {12}, Tensors.grad(parameters.get(1)));
    }

    @Test
    void badArgumentsAreRejected() {
        List<Parameter> parameters = withGradients(new float[] {3, 4}, new float[] {12});
        List<Parameter> twice = new ArrayList<>(parameters);
        twice.add(parameters.get(0));
        Object[][] cases = {
            {(Executable) () -> GradientClipping.clipByGlobalNorm(parameters, 0), "maxNorm must be finite and > 0"},
            {(Executable) () -> GradientClipping.clipByGlobalNorm(parameters, Double.NaN), "maxNorm"},
            {(Executable) () -> GradientClipping.clipByGlobalNorm(parameters, Double.POSITIVE_INFINITY), "maxNorm"},
            {(Executable) () -> GradientClipping.clipByGlobalNorm(List.of(), 1), "empty parameter list"},
            {(Executable) () -> GradientClipping.clipByGlobalNorm(twice, 1), "appears more than once"},
        };
        for (Object[] c : cases) {
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class, (Executable) c[0]);
            assertTrue(e.getMessage().contains((String) c[1]), e.getMessage());
        }
        assertArrayEquals(new float[] {3, 4}, Tensors.grad(parameters.get(0)), "nothing changed");
    }
}
