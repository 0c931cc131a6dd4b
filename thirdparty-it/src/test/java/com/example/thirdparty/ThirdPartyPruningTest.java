package com.example.thirdparty;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotSame;

import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.sparselinear.api.Backend;
import org.sparselinear.api.MemoryScope;
import org.sparselinear.api.Tensor;
import org.sparselinear.backend.cpu.CpuBackend;
import org.sparselinear.nn.GradualMagnitudePruning;
import org.sparselinear.nn.Linear;
import org.sparselinear.nn.PruningSchedule;
import org.sparselinear.nn.ReLU;
import org.sparselinear.nn.Sequential;
import org.sparselinear.nn.SparseLinear;
import org.sparselinear.nn.loss.CrossEntropyLoss;
import org.sparselinear.nn.optim.Optimizer;

/**
 * Gradual magnitude pruning rebuilds a third party's optimizer ({@link Adagrad}) through its
 * provider, as it does the built-in ones: same kind and step count, and the running sums of the
 * kept weights carried over bit for bit.
 */
class ThirdPartyPruningTest {

    @Test
    @SuppressWarnings("try")
    void adagradStateFollowsTheKeptWeights() {
        Backend backend = new CpuBackend(1);
        Sequential model =
                new Sequential(new Linear(5, 6, true, 1L, backend), new ReLU(), new Linear(6, 3, true, 2L, backend));
        Optimizer adagrad = new Adagrad(model.parameters(), 0.1);
        SplittableRandom random = new SplittableRandom(3);
        float[] x = new float[4 * 5];
        for (int i = 0; i < x.length; i++) {
            x[i] = (float) random.nextDouble(-1, 1);
        }
        for (int step = 0; step < 3; step++) {
            try (MemoryScope scope = backend.newScope()) {
                Tensor loss = new CrossEntropyLoss()
                        .forward(model.forward(Tensor.constant(backend.upload(x, 4, 5))), new int[] {0, 1, 2, 1});
                adagrad.zeroGrad();
                loss.backward();
                adagrad.step();
            }
        }
        float[] sums = ((Adagrad) adagrad).sums.get(0).clone();

        GradualMagnitudePruning pruning = new GradualMagnitudePruning(PruningSchedule.cubic(0.5, 0.5, 1, 2, 1));
        Optimizer pruned = pruning.step(model, adagrad);

        Adagrad rebuilt = assertInstanceOf(Adagrad.class, pruned);
        assertNotSame(adagrad, rebuilt);
        assertEquals(3, rebuilt.steps());
        SparseLinear layer = (SparseLinear) model.layers().get(0);
        int[][] kept = layer.connectivity().toCoo();
        float[] keptSums = rebuilt.sums.get(0);
        assertEquals(15, keptSums.length);
        for (int k = 0; k < keptSums.length; k++) {
            assertEquals(sums[kept[0][k] * 5 + kept[1][k]], keptSums[k], 0f, "sum of kept weight " + k);
        }
        assertEquals(List.copyOf(model.parameters()), rebuilt.parameters());
        model.close();
    }
}
