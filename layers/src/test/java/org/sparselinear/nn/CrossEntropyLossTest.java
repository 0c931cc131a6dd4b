package org.sparselinear.nn;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.sparselinear.api.Parameter;
import org.sparselinear.api.Tensor;
import org.sparselinear.nn.loss.CrossEntropyLoss;
import org.sparselinear.testing.GradientCheck;
import org.sparselinear.testing.Tensors;

class CrossEntropyLossTest {

    private static final int[] LABELS = {2, 0, 3};

    @Test
    void valueIsTheMeanNegativeLogSoftmaxOfTheLabels() {
        float[] logits = Tensors.uniform(1, 3 * 4, -3, 3);
        float loss = new CrossEntropyLoss()
                .forward(Tensors.constant(logits, 3, 4), LABELS)
                .item();
        double expected = 0;
        double[][] softmax = softmax(logits, 3, 4);
        for (int b = 0; b < 3; b++) {
            expected -= Math.log(softmax[b][LABELS[b]]) / 3;
        }
        assertEquals(expected, loss, 1e-5);
        assertEquals(
                Math.log(10),
                new CrossEntropyLoss()
                        .forward(Tensors.constant(new float[10], 1, 10), new int[] {7})
                        .item(),
                1e-6,
                "uniform logits over 10 classes cost log 10");
    }

    @Test
    void gradientIsSoftmaxMinusOneHotOverTheBatch() {
        float[] values = Tensors.uniform(2, 3 * 4, -3, 3);
        Parameter logits = Tensors.leaf(values, 3, 4);
        new CrossEntropyLoss().forward(logits, LABELS).backward();
        double[][] softmax = softmax(values, 3, 4);
        float[] expected = new float[12];
        for (int b = 0; b < 3; b++) {
            for (int c = 0; c < 4; c++) {
                expected[b * 4 + c] = (float) ((softmax[b][c] - (c == LABELS[b] ? 1 : 0)) / 3);
            }
        }
        assertArrayEquals(expected, Tensors.grad(logits), 1e-6f);
    }

    @Test
    void gradientMatchesFiniteDifferences() {
        Parameter logits = Tensors.leaf(Tensors.uniform(3, 3 * 4, -2, 2), 3, 4);
        CrossEntropyLoss loss = new CrossEntropyLoss();
        GradientCheck.assertGradients(() -> loss.forward(logits, LABELS), List.of(logits));
    }

    @Test
    void labelSmoothingCostsTheCrossEntropyAgainstTheSmoothedTarget() {
        float[] logits = Tensors.uniform(5, 3 * 4, -3, 3);
        double eps = 0.2;
        float loss = new CrossEntropyLoss(eps)
                .forward(Tensors.constant(logits, 3, 4), LABELS)
                .item();
        double[][] softmax = softmax(logits, 3, 4);
        double expected = 0;
        for (int b = 0; b < 3; b++) {
            for (int c = 0; c < 4; c++) {
                double target = (c == LABELS[b] ? 1 - eps : 0) + eps / 4;
                expected -= target * Math.log(softmax[b][c]) / 3;
            }
        }
        assertEquals(expected, loss, 1e-5);
    }

    @Test
    void labelSmoothingGradientIsSoftmaxMinusTheSmoothedTarget() {
        float[] values = Tensors.uniform(6, 3 * 4, -3, 3);
        Parameter logits = Tensors.leaf(values, 3, 4);
        double eps = 0.1;
        new CrossEntropyLoss(eps).forward(logits, LABELS).backward();
        double[][] softmax = softmax(values, 3, 4);
        float[] expected = new float[12];
        for (int b = 0; b < 3; b++) {
            for (int c = 0; c < 4; c++) {
                double target = (c == LABELS[b] ? 1 - eps : 0) + eps / 4;
                expected[b * 4 + c] = (float) ((softmax[b][c] - target) / 3);
            }
        }
        assertArrayEquals(expected, Tensors.grad(logits), 1e-6f);
    }

    @Test
    void labelSmoothingGradientMatchesFiniteDifferences() {
        Parameter logits = Tensors.leaf(Tensors.uniform(7, 3 * 4, -2, 2), 3, 4);
        CrossEntropyLoss loss = new CrossEntropyLoss(0.3);
        GradientCheck.assertGradients(() -> loss.forward(logits, LABELS), List.of(logits));
    }

    @Test
    void labelSmoothingOutsideZeroToOneIsRejected() {
        for (double eps : new double[] {-0.1, 1, Double.NaN}) {
            var error = assertThrows(IllegalArgumentException.class, () -> new CrossEntropyLoss(eps));
            assertTrue(error.getMessage().contains("[0, 1)"), error.getMessage());
        }
        assertEquals("CrossEntropyLoss(labelSmoothing=0.1)", new CrossEntropyLoss(0.1).toString());
    }

    @Test
    void labelsAreCopiedSoLaterChangesDoNotReachBackward() {
        float[] values = Tensors.uniform(4, 2 * 3, -1, 1);
        int[] labels = {1, 2};
        Parameter changed = Tensors.leaf(values, 2, 3);
        Tensor loss = new CrossEntropyLoss().forward(changed, labels);
        labels[0] = 0;
        loss.backward();
        Parameter reference = Tensors.leaf(values, 2, 3);
        new CrossEntropyLoss().forward(reference, new int[] {1, 2}).backward();
        assertArrayEquals(Tensors.grad(reference), Tensors.grad(changed));
    }

    @Test
    void rejectsBadLabelsAndShapes() {
        Tensor logits = Tensors.constant(new float[6], 2, 3);
        var count = assertThrows(
                IllegalArgumentException.class, () -> new CrossEntropyLoss().forward(logits, new int[] {0}));
        assertTrue(count.getMessage().contains("1 labels"), count.getMessage());
        var range = assertThrows(
                IllegalArgumentException.class, () -> new CrossEntropyLoss().forward(logits, new int[] {0, 3}));
        assertTrue(range.getMessage().contains("[0, 3)"), range.getMessage());
        Tensor image = Tensor.constant(Tensors.backend().upload(new float[6], 2, 3), 2, 3, 1);
        assertThrows(IllegalArgumentException.class, () -> new CrossEntropyLoss().forward(image, new int[] {0, 1}));
    }

    private static double[][] softmax(float[] logits, int rows, int columns) {
        double[][] result = new double[rows][columns];
        for (int r = 0; r < rows; r++) {
            double max = Double.NEGATIVE_INFINITY;
            for (int c = 0; c < columns; c++) {
                max = Math.max(max, logits[r * columns + c]);
            }
            double sum = 0;
            for (int c = 0; c < columns; c++) {
                result[r][c] = Math.exp(logits[r * columns + c] - max);
                sum += result[r][c];
            }
            for (int c = 0; c < columns; c++) {
                result[r][c] /= sum;
            }
        }
        return result;
    }
}
