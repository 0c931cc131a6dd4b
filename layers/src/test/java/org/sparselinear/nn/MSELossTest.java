package org.sparselinear.nn;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.sparselinear.api.Parameter;
import org.sparselinear.api.Tensor;
import org.sparselinear.nn.loss.MSELoss;
import org.sparselinear.testing.GradientCheck;
import org.sparselinear.testing.Tensors;

class MSELossTest {

    @Test
    void valuesOfBothReductions() {
        Tensor prediction = Tensors.constant(new float[] {1, 2, 3, 4}, 2, 2);
        Tensor target = Tensors.constant(new float[] {0, 2, 5, 3}, 2, 2);
        // Squared errors 1, 0, 4, 1.
        assertEquals(
                6f,
                new MSELoss(MSELoss.Reduction.SUM).forward(prediction, target).item(),
                1e-6);
        assertEquals(
                1.5f,
                new MSELoss(MSELoss.Reduction.MEAN).forward(prediction, target).item(),
                1e-6);
        assertEquals(MSELoss.Reduction.MEAN, new MSELoss().reduction());
        assertEquals("MSELoss(reduction=sum)", new MSELoss(MSELoss.Reduction.SUM).toString());
    }

    @ParameterizedTest
    @EnumSource(MSELoss.Reduction.class)
    void gradientsOfPredictionAndTargetMatchFiniteDifferences(MSELoss.Reduction reduction) {
        MSELoss loss = new MSELoss(reduction);
        Parameter prediction = Tensors.leaf(Tensors.uniform(1, 3 * 4, -1, 1), 3, 4);
        Parameter target = Tensors.leaf(Tensors.uniform(2, 3 * 4, -1, 1), 3, 4);
        GradientCheck.assertGradients(() -> loss.forward(prediction, target), List.of(prediction, target));
    }

    @Test
    void rejectsDifferentShapesNamingBoth() {
        var error = assertThrows(IllegalArgumentException.class, () -> new MSELoss()
                .forward(Tensors.constant(new float[6], 2, 3), Tensors.constant(new float[2], 2, 1)));
        assertTrue(error.getMessage().contains("[2, 3]") && error.getMessage().contains("[2, 1]"), error.getMessage());
        assertThrows(NullPointerException.class, () -> new MSELoss(null));
    }
}
