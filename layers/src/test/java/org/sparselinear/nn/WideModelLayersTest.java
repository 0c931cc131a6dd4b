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

/** The building blocks of the reference notebook's very wide model: repeat, per-feature affine, group sums. */
class WideModelLayersTest {

    @Test
    void repeatEachCopiesEveryFeatureSideBySideLikeRepeatInterleave() {
        float[] x = Tensors.uniform(3, 2 * 4, -1, 1);
        float[] y = FixedSparseMap.repeatEach(4, 3)
                .forward(Tensors.constant(x, 2, 4))
                .toArray();
        assertEquals(2 * 12, y.length);
        for (int b = 0; b < 2; b++) {
            for (int f = 0; f < 4; f++) {
                for (int r = 0; r < 3; r++) {
                    assertEquals(x[b * 4 + f], y[b * 12 + f * 3 + r], "sample " + b + " feature " + f + " copy " + r);
                }
            }
        }
        assertTrue(FixedSparseMap.repeatEach(4, 3).parameters().isEmpty());
    }

    @Test
    void sumGroupsAddsEveryOutputIntoItsClassModuloTheGroups() {
        float[] x = Tensors.uniform(4, 3 * 20, -1, 1);
        float[] y = FixedSparseMap.sumGroups(20, 5)
                .forward(Tensors.constant(x, 3, 20))
                .toArray();
        for (int b = 0; b < 3; b++) {
            for (int c = 0; c < 5; c++) {
                double expected = 0;
                for (int j = c; j < 20; j += 5) {
                    expected += x[b * 20 + j];
                }
                assertEquals(expected, y[b * 5 + c], 1e-5, "sample " + b + " class " + c);
            }
        }
        var error = assertThrows(IllegalArgumentException.class, () -> FixedSparseMap.sumGroups(21, 5));
        assertTrue(error.getMessage().contains("divisible"), error.getMessage());
    }

    @Test
    void fixedMapsPassGradientsToTheirInput() {
        Parameter input = Tensors.leaf(Tensors.uniform(5, 2 * 6, -1, 1), 2, 6);
        FixedSparseMap repeat = FixedSparseMap.repeatEach(6, 2);
        FixedSparseMap sum = FixedSparseMap.sumGroups(12, 3);
        GradientCheck.assertGradients(() -> sum.forward(repeat.forward(input)), List.of(input));
    }

    @Test
    void featureAffineStartsAsTheIdentityAndHasCorrectGradients() {
        FeatureAffine affine = new FeatureAffine(5);
        float[] x = Tensors.uniform(6, 3 * 5, -1, 1);
        assertArrayEquals(x, affine.forward(Tensors.constant(x, 3, 5)).toArray());
        assertEquals(10, Parameters.count(affine.parameters()));
        Tensors.set(affine.parameters().get(0), Tensors.uniform(7, 5, 0.5, 1.5));
        Tensors.set(affine.parameters().get(1), Tensors.uniform(8, 5, -1, 1));
        Parameter input = Tensors.leaf(x, 3, 5);
        List<Parameter> leaves =
                List.of(input, affine.parameters().get(0), affine.parameters().get(1));
        GradientCheck.assertGradients(() -> affine.forward(input), leaves);
        assertEquals("FeatureAffine(features=5)", affine.toString());
    }
}
