package org.sparselinear.nn;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;
import org.sparselinear.api.Parameter;
import org.sparselinear.api.Tensor;
import org.sparselinear.nn.loss.MSELoss;
import org.sparselinear.testing.Tensors;

/** The autograd graph of {@link Tensor}: accumulation, release after backward, and misuse. */
class TensorAutogradTest {

    @Test
    void aTensorUsedTwiceGetsTheSumOfBothGradients() {
        Parameter x = Tensors.leaf(new float[] {1, -2, 3}, 1, 3);
        float[] a = {0.5f, 1, 2};
        float[] b = {-1, 4, 0.25f};
        ReLU identityOnPositives = new ReLU();
        Tensor shared = identityOnPositives.forward(x);
        Tensor loss = Tensors.weightedSum(shared, a);
        Tensor second = Tensors.weightedSum(shared, b);
        // d(sum a*relu(x) + sum b*relu(x))/dx = (a + b) * [x > 0]; computed as one backward of the sum.
        Tensor total = new MSELoss(MSELoss.Reduction.SUM)
                .forward(loss, Tensor.constant(Tensors.backend().zeros(1, 1)));
        total.backward();
        float l = loss.toArray()[0];
        float[] expected = {2 * l * a[0], 0, 2 * l * a[2]};
        assertArrayEquals(expected, Tensors.grad(x), 1e-5f);
        assertTrue(second.requiresGrad());
    }

    @Test
    void aSecondBackwardThroughAReleasedGraphIsAnError() {
        Parameter x = Tensors.leaf(new float[] {1, 2}, 1, 2);
        Tensor hidden = new ReLU().forward(x);
        Tensor first = Tensors.weightedSum(hidden, new float[] {1, 1});
        Tensor second = Tensors.weightedSum(hidden, new float[] {2, 2});
        first.backward();
        var shared = assertThrows(IllegalStateException.class, second::backward);
        assertTrue(shared.getMessage().contains("already used by an earlier backward()"), shared.getMessage());
        var again = assertThrows(IllegalStateException.class, first::backward);
        assertTrue(again.getMessage().contains("already called"), again.getMessage());
    }

    @Test
    void backwardNeedsAScalarThatRequiresAGradient() {
        Parameter x = Tensors.leaf(new float[] {1, 2}, 1, 2);
        var notScalar = assertThrows(
                IllegalStateException.class, () -> new ReLU().forward(x).backward());
        assertTrue(notScalar.getMessage().contains("scalar"), notScalar.getMessage());
        Tensor constant = Tensors.constant(new float[] {3}, 1, 1);
        var noGrad = assertThrows(IllegalStateException.class, constant::backward);
        assertTrue(noGrad.getMessage().contains("does not require a gradient"), noGrad.getMessage());
    }

    @Test
    void reshapeKeepsTheBatchAndTheElementCount() {
        Tensor t = Tensors.constant(new float[12], 2, 6);
        assertArrayEquals(new int[] {2, 2, 3}, t.reshape(2, 2, 3).shape());
        assertThrows(IllegalArgumentException.class, () -> t.reshape(3, 4));
        assertThrows(IllegalArgumentException.class, () -> t.reshape(2, 5));
    }
}
