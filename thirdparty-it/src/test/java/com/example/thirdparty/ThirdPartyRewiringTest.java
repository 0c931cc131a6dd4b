package com.example.thirdparty;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;

import java.io.IOException;
import java.util.Arrays;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.sparselinear.api.Backend;
import org.sparselinear.api.MemoryScope;
import org.sparselinear.api.Tensor;
import org.sparselinear.backend.cpu.CpuBackend;
import org.sparselinear.io.ModelFile;
import org.sparselinear.nn.ReLU;
import org.sparselinear.nn.Sequential;
import org.sparselinear.nn.SparseLinear;
import org.sparselinear.nn.TrainingHooks;
import org.sparselinear.nn.loss.MSELoss;
import org.sparselinear.nn.optim.SGD;

/**
 * A rewiring rule from outside the library ({@link RandomRegrowth}) saves with its sparse layer, is rebuilt by kind
 * name with its settings, and the loaded layer goes on rewiring exactly as the original does (same seed, same
 * counters).
 */
class ThirdPartyRewiringTest {

    private static final Backend CPU = new CpuBackend(2);
    private static final int IN = 10;
    private static final int OUT = 6;
    private static final int BATCH = 4;

    private static Sequential model() {
        return new Sequential(
                new SparseLinear(
                        IN,
                        OUT,
                        SparseLinear.options()
                                .sparsity(0.6)
                                .seed(5)
                                .backend(CPU)
                                .rewiring(new RandomRegrowth(4))),
                new ReLU());
    }

    /** One epoch of two SGD steps on fixed data, then the epoch hook (which runs the rule). */
    @SuppressWarnings("try") // the scope is held for what it frees
    private static void epoch(Sequential model, int seed) {
        SplittableRandom random = new SplittableRandom(seed);
        float[] x = new float[BATCH * IN];
        float[] y = new float[BATCH * OUT];
        for (int i = 0; i < x.length; i++) {
            x[i] = (float) random.nextGaussian();
        }
        for (int i = 0; i < y.length; i++) {
            y[i] = (float) random.nextGaussian();
        }
        SGD optimizer = new SGD(model.parameters(), 0.1);
        for (int step = 0; step < 2; step++) {
            try (MemoryScope scope = CPU.newScope()) {
                optimizer.zeroGrad();
                Tensor prediction = model.forward(Tensor.constant(CPU.upload(x, BATCH, IN)));
                new MSELoss()
                        .forward(prediction, Tensor.constant(CPU.upload(y, BATCH, OUT)))
                        .backward();
                optimizer.step();
                TrainingHooks.afterStep(model);
            }
        }
        optimizer.close();
        TrainingHooks.afterEpoch(model);
    }

    private static SparseLinear sparse(Sequential model) {
        return (SparseLinear) model.layers().get(0);
    }

    @Test
    void aThirdPartyRuleSavesLoadsByKindAndGoesOnRewiringTheSameWay() throws IOException {
        Sequential original = model();
        int[][] before = sparse(original).connectivity().toCoo();
        epoch(original, 1);
        assertFalse(
                Arrays.deepEquals(before, sparse(original).connectivity().toCoo()),
                "the rule rewired the layer after the epoch");

        Sequential loaded = (Sequential) ModelFile.load(ModelFile.toBytes(original), "regrowth", CPU);
        RandomRegrowth rule =
                assertInstanceOf(RandomRegrowth.class, sparse(loaded).rewiring(), "rebuilt by kind");
        assertEquals(4, rule.count(), "its settings");
        assertArrayEquals(ModelFile.toBytes(original), ModelFile.toBytes(loaded), "connections, weights, counters");

        epoch(original, 2);
        epoch(loaded, 2);
        assertArrayEquals(
                ModelFile.toBytes(original),
                ModelFile.toBytes(loaded),
                "the next rewiring draws the same positions from the restored seed and counters");
    }
}
