package org.sparselinear.nn;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.sparselinear.api.Parameter;
import org.sparselinear.api.Tensor;
import org.sparselinear.testing.GradientCheck;
import org.sparselinear.testing.Tensors;

/** ReLU and Flatten, the layers without parameters. */
class ActivationTest {

    @Test
    void reluGradientMatchesFiniteDifferencesAwayFromZero() {
        ReLU relu = new ReLU();
        Parameter input = Tensors.leaf(Tensors.awayFromZero(5, 4 * 6), 4, 6);
        GradientCheck.assertGradients(() -> relu.forward(input), List.of(input));
    }

    @Test
    void reluClampsNegativesAndKeepsTheShape() {
        Tensor input = Tensor.constant(Tensors.backend().upload(new float[] {-1, 2, 0, -0.5f, 3, 4}, 1, 6), 1, 2, 3);
        Tensor output = new ReLU().forward(input);
        assertArrayEquals(new float[] {0, 2, 0, 0, 3, 4}, output.toArray());
        assertArrayEquals(new int[] {1, 2, 3}, output.shape());
        assertEquals("ReLU()", new ReLU().toString());
    }

    @Test
    void flattenKeepsTheBatchAndJoinsTheRest() {
        Tensor image = Tensor.constant(Tensors.backend().upload(Tensors.uniform(1, 2 * 12, -1, 1), 2, 12), 2, 1, 4, 3);
        Tensor flat = new Flatten().forward(image);
        assertArrayEquals(new int[] {2, 12}, flat.shape());
        assertArrayEquals(image.toArray(), flat.toArray());
        assertThrows(NullPointerException.class, () -> new Flatten().forward(null));
    }

    @Test
    void flattenPassesGradientsThrough() {
        Flatten flatten = new Flatten();
        Parameter input = Tensors.leaf(Tensors.uniform(2, 3 * 12, -1, 1), 3, 12);
        GradientCheck.assertGradients(() -> flatten.forward(input.reshape(3, 1, 4, 3)), List.of(input));
    }
}
