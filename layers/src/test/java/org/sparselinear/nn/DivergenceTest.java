package org.sparselinear.nn;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;
import org.sparselinear.api.Backend;
import org.sparselinear.api.Connectivity;
import org.sparselinear.api.SparseTensor;
import org.sparselinear.api.Tensor;
import org.sparselinear.backend.cpu.CpuBackend;
import org.sparselinear.nn.loss.CrossEntropyLoss;

/** A NaN or infinite loss stops training naming the step and the first layer whose output is not finite. */
class DivergenceTest {

    private static final Backend CPU = new CpuBackend(1);

    private static Sequential model() {
        return new Sequential(
                new Sequential(
                        new SparseLinear(
                                4,
                                6,
                                SparseLinear.options().sparsity(0.3).seed(1).backend(CPU)),
                        new ReLU()),
                new LayerNorm(6, CPU),
                new ReLU(),
                new Linear(6, 3, true, 2, CPU));
    }

    private static Tensor input(float value) {
        return Tensor.constant(CPU.upload(new float[] {1, -2, value, 0.5f, 3, 1, -1, 2}, 2, 4));
    }

    private static float loss(Sequential model, Tensor x) {
        return new CrossEntropyLoss()
                .forward(model.forward(x), new int[] {0, 2})
                .item();
    }

    @Test
    void namesTheFirstLayerWhoseOutputIsNotFinite() {
        Sequential model = model();
        Linear last = (Linear) model.layers().get(3);
        CPU.fill(last.parameters().get(0).value(), Float.NaN);
        Tensor x = input(0.25f);
        float value = loss(model, x);
        TrainingDivergedException e =
                assertThrows(TrainingDivergedException.class, () -> Divergence.check(value, 7, model, x));
        assertEquals(7, e.step());
        assertTrue(Float.isNaN(e.loss()));
        assertEquals("layer 3 (Linear(in_features=6, out_features=3, bias=true))", e.layer());
        assertTrue(
                e.getMessage()
                        .startsWith("training diverged at step 7: the loss is NaN; the first layer whose "
                                + "output is not finite is layer 3 (Linear"),
                e.getMessage());
        assertTrue(e.getMessage().contains("Lower the learning rate"), e.getMessage());
    }

    @Test
    void descendsIntoNestedSequentials() {
        Sequential model = model();
        SparseLinear sparse =
                (SparseLinear) ((Sequential) model.layers().get(0)).layers().get(0);
        CPU.fill(sparse.parameters().get(1).value(), Float.POSITIVE_INFINITY);
        Tensor x = input(0.25f);
        TrainingDivergedException e =
                assertThrows(TrainingDivergedException.class, () -> Divergence.check(loss(model, x), 12, model, x));
        assertTrue(e.layer().startsWith("layer 0.0 (SparseLinear(in_features=4"), e.layer());
    }

    @Test
    void aBadInputOrAnOverflowingLossIsToldApart() {
        Sequential model = model();
        Tensor bad = input(Float.NaN);
        assertEquals("the input", Divergence.firstNonFiniteLayer(model, bad));
        Tensor good = input(0.25f);
        assertNull(Divergence.firstNonFiniteLayer(model, good));
        TrainingDivergedException e = assertThrows(
                TrainingDivergedException.class, () -> Divergence.check(Float.POSITIVE_INFINITY, 3, model, good));
        assertNull(e.layer());
        assertTrue(e.getMessage().contains("the loss is Infinity; every layer's output is finite"), e.getMessage());
        Divergence.check(loss(model, good), 1, model, good);
    }

    @Test
    void aSparseInputIsCheckedByItsStoredValues() {
        Sequential model = model();
        Connectivity rows = Connectivity.fromCsr(2, 4, new int[] {0, 2, 3}, new int[] {0, 3, 1});
        assertEquals(
                "the input",
                Divergence.firstNonFiniteLayer(model, SparseTensor.upload(CPU, rows, new float[] {1, Float.NaN, 2})));
        assertNull(Divergence.firstNonFiniteLayer(model, SparseTensor.upload(CPU, rows, new float[] {1, -3, 2})));
    }
}
