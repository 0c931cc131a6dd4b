package org.sparselinear.nn;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;
import org.sparselinear.nn.sparsity.LayerSparsity;

class LayerSparsityTest {

    @Test
    void erkMakesTheSmallOutputLayerOfTheNotebookDenseAndPaysForItInTheFirst() {
        // Raw densities (in + out) / (in out): 2784 / 1568000 and 2010 / 20000. With both sparse,
        // eps = 158800 / (2784 + 2010) = 33.1 and the second layer's density 3.3 > 1: it becomes
        // dense. Then the first keeps 0.1 * 1588000 - 20000 = 138800 of its 1568000 connections.
        double[] sparsities = LayerSparsity.erdosRenyiKernel(0.9, new int[] {784, 2000}, new int[] {2000, 10});
        assertEquals(1 - 138800.0 / 1568000, sparsities[0], 1e-12);
        assertEquals(0, sparsities[1]);
        double kept = (1 - sparsities[0]) * 1568000 + (1 - sparsities[1]) * 20000;
        assertEquals(0.1 * 1588000, kept, 1e-6, "the model meets the target");
    }

    @Test
    void erkWithoutDenseLayersScalesTheRawDensities() {
        // Raw 20 / 100 = 0.2 and 200 / 10000 = 0.02; eps = 0.1 * 10100 / (0.2 * 100 + 0.02 * 10000) = 1010 / 220.
        double eps = 1010.0 / 220;
        double[] sparsities = LayerSparsity.erdosRenyiKernel(0.9, new int[] {10, 10}, new int[] {100, 100});
        assertArrayEquals(new double[] {1 - 0.2 * eps, 1 - 0.02 * eps}, sparsities, 1e-12);
        assertTrue(sparsities[0] < sparsities[1], "the small layer is denser");
    }

    @Test
    void erkOfEqualLayersIsUniformAndUniformIsUniform() {
        assertArrayEquals(
                new double[] {0.5, 0.5, 0.5},
                LayerSparsity.erdosRenyiKernel(0.5, new int[] {30, 40}, new int[] {40, 30}, new int[] {30, 40}),
                1e-12);
        assertArrayEquals(new double[] {0.8, 0.8}, LayerSparsity.uniform(0.8, new int[] {3, 4}, new int[] {5, 6}));
        assertArrayEquals(
                new double[] {0, 0},
                LayerSparsity.erdosRenyiKernel(0, new int[] {3, 4}, new int[] {5, 6}),
                1e-12,
                "sparsity 0 is dense");
    }

    @Test
    void rejectsBadArguments() {
        assertThrows(IllegalArgumentException.class, () -> LayerSparsity.erdosRenyiKernel(1, new int[] {3, 4}));
        assertThrows(IllegalArgumentException.class, () -> LayerSparsity.erdosRenyiKernel(0.5));
        var shape = assertThrows(
                IllegalArgumentException.class,
                () -> LayerSparsity.erdosRenyiKernel(0.5, new int[] {3, 4}, new int[] {0, 4}));
        assertTrue(shape.getMessage().contains("layer 1"), shape.getMessage());
        assertThrows(IllegalArgumentException.class, () -> LayerSparsity.uniform(-0.1, new int[] {3, 4}));
    }
}
