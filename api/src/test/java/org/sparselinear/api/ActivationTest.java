package org.sparselinear.api;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * The host formulas of {@link Activation}, which the conformance kit takes as the truth: each
 * derivative against a central finite difference of its function, and values at points where
 * the function is known in closed form.
 */
class ActivationTest {

    private static final double[] POINTS = {-6, -2.5, -1, -0.3, 0.2, 0.7, 1.5, 4, 9};

    @ParameterizedTest
    @EnumSource(Activation.class)
    void derivativeIsTheSlopeOfTheFunction(Activation f) {
        double h = 1e-6;
        for (double x : POINTS) {
            double slope = (f.apply(x + h) - f.apply(x - h)) / (2 * h);
            assertEquals(slope, f.derivative(x, f.apply(x)), 1e-6, f + "'(" + x + ")");
        }
    }

    @ParameterizedTest
    @EnumSource(Activation.class)
    void kernelCodeIsThePositionSoThatCodesNeverChange(Activation f) {
        assertEquals(f.ordinal(), f.kernelCode());
    }

    @org.junit.jupiter.api.Test
    void knownValues() {
        assertEquals(0, Activation.RELU.apply(-3));
        assertEquals(2.5, Activation.RELU.apply(2.5));
        assertEquals(-0.03, Activation.LEAKY_RELU.apply(-3), 1e-15);
        assertEquals(0.5, Activation.SIGMOID.apply(0));
        assertEquals(1 / (1 + Math.exp(-2)), Activation.SIGMOID.apply(2), 1e-15);
        assertEquals(Math.tanh(0.5), Activation.TANH.apply(0.5));
        assertEquals(Math.log(2), Activation.SOFTPLUS.apply(0), 1e-15);
        assertEquals(1000, Activation.SOFTPLUS.apply(1000), 1e-12, "no overflow for large inputs");
        // GELU's tanh form is within 5e-4 of x * Phi(x): Phi(1) = 0.8413447460685429, Phi(-1) = 0.15865525393145707.
        assertEquals(0.8413447460685429, Activation.GELU.apply(1), 5e-4);
        assertEquals(-0.15865525393145707, Activation.GELU.apply(-1), 5e-4);
        assertEquals(0, Activation.GELU.apply(0));
    }
}
