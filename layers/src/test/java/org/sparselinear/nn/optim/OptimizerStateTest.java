package org.sparselinear.nn.optim;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.function.Executable;
import org.sparselinear.api.Backend;
import org.sparselinear.api.DenseMatrix;
import org.sparselinear.api.Parameter;
import org.sparselinear.backend.cpu.CpuBackend;
import org.sparselinear.nn.SparseLinear;
import org.sparselinear.testing.Tensors;

/**
 * The optimizers' state vectors themselves (SGD's velocity, Adam's moments), reached through the
 * package-private accessors: freed by {@code close()}, rearranged by a parameter's remap, and
 * asked for by a valid moment number only.
 */
class OptimizerStateTest {

    private static final Backend CPU = new CpuBackend(2);

    @Test
    void closingAnOptimizerFreesItsStateAndStopsFollowingRemaps() {
        SparseLinear layer = new SparseLinear(
                6, 4, SparseLinear.options().sparsity(0.5).seed(3).backend(CPU));
        Parameter weight = layer.parameters().get(0);
        SGD sgd = new SGD(layer.parameters(), 0.1, 0.9);
        Adam adam = new Adam(layer.parameters(), 0.01);
        DenseMatrix velocity = sgd.velocity(weight);
        DenseMatrix first = adam.moment(weight, 1);
        DenseMatrix second = adam.moment(weight, 2);

        sgd.close();
        sgd.close();
        adam.close();
        adam.close();

        assertTrue(velocity.isClosed() && first.isClosed() && second.isClosed(), "the state vectors are freed");
        assertFalse(weight.isClosed(), "closing an optimizer leaves the parameters open");
        for (Executable use : List.<Executable>of(sgd::step, sgd::zeroGrad, adam::step, adam::zeroGrad)) {
            IllegalStateException e = assertThrows(IllegalStateException.class, use);
            assertTrue(
                    e.getMessage().contains("was closed") && e.getMessage().contains("build a new optimizer"),
                    e.getMessage());
        }

        SGD next = new SGD(layer.parameters(), 0.1, 0.9);
        DenseMatrix nextVelocity = next.velocity(weight);
        CPU.fill(nextVelocity, 2f);
        int[] keepFirstOnly = new int[weight.columns()];
        java.util.Arrays.fill(keepFirstOnly, -1);
        keepFirstOnly[0] = 0;
        weight.remap(keepFirstOnly);
        float[] expected = new float[weight.columns()];
        expected[0] = 2f;
        assertArrayEquals(
                expected,
                CPU.download(nextVelocity),
                "the open optimizer follows the remap, the closed ones " + "are no longer told (they would throw)");
        next.close();
        layer.close();
        assertThrows(IllegalStateException.class, () -> weight.remap(keepFirstOnly));
    }

    @Test
    void remapMovesValuesGradientAndTrackedStateTogether() {
        Parameter p = Tensors.leaf(new float[] {1, 2, 3, 4}, 1, 4);
        Tensors.set(p, new float[] {1, 2, 3, 4});
        SGD sgd = new SGD(List.of(p), 0.1, 0.9);
        Tensors.backend().copy(Tensors.backend().upload(new float[] {10, 20, 30, 40}, 1, 4), sgd.velocity(p));
        Tensors.backend().copy(Tensors.backend().upload(new float[] {-1, -2, -3, -4}, 1, 4), p.grad());
        p.remap(new int[] {3, -1, 0, 1});
        assertArrayEquals(new float[] {4, 0, 1, 2}, p.toArray());
        assertArrayEquals(new float[] {-4, 0, -1, -2}, Tensors.grad(p));
        assertArrayEquals(new float[] {40, 0, 10, 20}, Tensors.backend().download(sgd.velocity(p)));
        assertThrows(IllegalArgumentException.class, () -> p.remap(new int[] {0, 1}));
        assertThrows(IllegalArgumentException.class, () -> p.remap(new int[] {0, 1, 2, 4}));
    }

    @Test
    void adagradsSumFollowsARemapAndANewConnectionStartsAtTheInitialValue() {
        Parameter p = Tensors.leaf(new float[] {1, 2, 3, 4}, 1, 4);
        Adagrad adagrad = new Adagrad(List.of(p), 0.1, 0, 0, 0.25, 1e-10);
        assertArrayEquals(
                new float[] {0.25f, 0.25f, 0.25f, 0.25f}, Tensors.backend().download(adagrad.sum(p)));
        Tensors.backend().copy(Tensors.backend().upload(new float[] {10, 20, 30, 40}, 1, 4), adagrad.sum(p));
        p.remap(new int[] {3, -1, 0, 1});
        assertArrayEquals(new float[] {40, 0.25f, 10, 20}, Tensors.backend().download(adagrad.sum(p)));
        DenseMatrix sum = adagrad.sum(p);
        adagrad.close();
        assertTrue(sum.isClosed(), "closing frees the sum");
        assertThrows(IllegalStateException.class, adagrad::step);
    }

    @Test
    void adamHasMomentsOneAndTwoOnly() {
        Parameter p = Tensors.leaf(new float[] {1, 2, 3}, 1, 3);
        try (Adam adam = new Adam(List.of(p), 0.01)) {
            assertTrue(adam.moment(p, 1) != adam.moment(p, 2), "two distinct moments");
            for (int which : new int[] {0, 3, -1}) {
                IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> adam.moment(p, which));
                assertTrue(
                        e.getMessage().contains("got moment " + which)
                                && e.getMessage().contains("ask for 1 or 2"),
                        e.getMessage());
            }
        }
    }
}
