package org.sparselinear.nn;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.sparselinear.api.Backend;
import org.sparselinear.api.Layer;
import org.sparselinear.api.Parameter;
import org.sparselinear.backend.cpu.CpuBackend;
import org.sparselinear.data.DataLoader;
import org.sparselinear.data.Dataset;
import org.sparselinear.io.Checkpoint;
import org.sparselinear.io.ModelFile;
import org.sparselinear.io.ModelFileException;
import org.sparselinear.nn.optim.Adam;
import org.sparselinear.nn.optim.AdamW;
import org.sparselinear.nn.optim.LearningRateSchedule;
import org.sparselinear.nn.optim.LearningRateScheduler;
import org.sparselinear.nn.optim.Optimizer;

/**
 * AdamW against hand-computed steps (PyTorch's semantics: decay the parameter, then the Adam
 * update without L2), equal to Adam without decay, and a checkpointed run with a learning-rate
 * schedule and RigL rewiring that resumes bit for bit.
 */
class AdamWTest {

    private static final Backend CPU = new CpuBackend(2);
    private static final Dataset DATA = Models.data(96, 21);
    private static final long SHUFFLE = 99;
    /** The hand-computed problem of {@link OptimizerTest}: Linear(2, 1), loss (w.x + b)^2 at x = (1, 2). */
    private static Linear tinyLinear() {
        return OptimizerTest.tinyLinear();
    }

    private static void step(Linear layer, Optimizer optimizer) {
        OptimizerTest.step(layer, optimizer);
    }

    @Test
    void twoStepsWithDecoupledDecayMatchAHandComputation() {
        Linear layer = tinyLinear();
        AdamW adamW = new AdamW(layer.parameters(), 0.01, 0.1);
        // Step 1: g = 2y (x, 1) = (0.2, 0.4 | 0.2) at y = 0.1. Decay: p *= 1 - 0.01 * 0.1 = 0.999,
        // p = (0.4995, -0.24975 | 0.0999); then m^ / (sqrt(v^) + eps) = g / |g| = 1 (to 5e-8), p -= 0.01.
        step(layer, adamW);
        assertArrayEquals(
                new float[] {0.4895f, -0.25975f}, layer.parameters().get(0).toArray(), 1e-6f);
        assertArrayEquals(new float[] {0.0899f}, layer.parameters().get(1).toArray(), 1e-6f);
        // Step 2: y = 0.4895 - 0.5195 + 0.0899 = 0.0599, g = 0.1198 (1, 2 | 1). Decay: p *= 0.999,
        // p = (0.4890105, -0.2594902 | 0.0898101). For w1 and b: m = 0.9 * 0.02 + 0.1 * 0.1198 = 0.02998,
        // m^ = m / (1 - 0.9^2) = 0.1577895; v = 0.999 * 4e-5 + 0.001 * 0.1198^2 = 5.4312e-5,
        // v^ = v / (1 - 0.999^2) = 0.0271696; m^ / sqrt(v^) = 0.9572742 (the same for w2: g scales by 2).
        // p -= 0.01 * 0.9572742.
        step(layer, adamW);
        assertArrayEquals(
                new float[] {0.4794378f, -0.2690630f}, layer.parameters().get(0).toArray(), 1e-6f);
        assertArrayEquals(new float[] {0.0802374f}, layer.parameters().get(1).toArray(), 1e-6f);
        assertEquals(2, adamW.steps());
        assertEquals(0.1, adamW.weightDecay(), 1e-7);
    }

    @Test
    void decayIsNotAddedToTheGradientAsAdamsIs() {
        // Adam's L2 decay of 0.1 adds 0.1 p to g, and its first step still moves by lr (sign of g + 0.1 p):
        // w1 = 0.5 - 0.01 = 0.49. AdamW's shrinks p first: 0.4995 - 0.01 = 0.4895.
        Linear adamLayer = tinyLinear();
        step(adamLayer, new Adam(adamLayer.parameters(), 0.01, 0.9, 0.999, 1e-8, 0.1));
        Linear adamWLayer = tinyLinear();
        step(adamWLayer, new AdamW(adamWLayer.parameters(), 0.01, 0.1));
        assertEquals(0.49f, adamLayer.parameters().get(0).toArray()[0], 1e-6f);
        assertEquals(0.4895f, adamWLayer.parameters().get(0).toArray()[0], 1e-6f);
    }

    @Test
    void withoutWeightDecayItIsAdamToTheBit() {
        Sequential adamModel = Models.rich(CPU);
        Adam adam = new Adam(adamModel.parameters(), 0.01);
        Models.train(adamModel, adam, loader(), 1, 0, 1, 0, -1, CPU);
        Sequential adamWModel = Models.rich(CPU);
        AdamW adamW = new AdamW(adamWModel.parameters(), 0.01, 0);
        Models.train(adamWModel, adamW, loader(), 1, 0, 1, 0, -1, CPU);
        assertArrayEquals(ModelFile.toBytes(adamModel), ModelFile.toBytes(adamWModel));

        Sequential decayed = Models.rich(CPU);
        Models.train(decayed, new AdamW(decayed.parameters(), 0.01), loader(), 1, 0, 1, 0, -1, CPU);
        assertFalse(
                Arrays.equals(ModelFile.toBytes(adamModel), ModelFile.toBytes(decayed)),
                "the default decay of 0.01 changes the weights");
    }

    private static DataLoader loader() {
        return new DataLoader(DATA, 8, true, SHUFFLE, true);
    }

    private static byte[][] state(Layer model, Optimizer optimizer) {
        TrainingProgress same = new TrainingProgress(0, 0, 0, 0);
        return new byte[][] {ModelFile.toBytes(model), Checkpoint.toBytes(model, optimizer, same, Map.of())};
    }

    @Test
    void aScheduledRunStoppedMidEpochResumesBitForBitFromItsCheckpoint() throws IOException {
        // 2 epochs of 12 steps: 4 steps of warm-up, cosine down to 1e-4 at step 24; RigL rewires in between.
        LearningRateSchedule schedule = LearningRateSchedule.cosineWithWarmup(0.01, 1e-4, 4, 24);
        Sequential straight = Models.rich(CPU);
        AdamW straightOptimizer = new AdamW(straight.parameters(), 0.01, 0.05);
        LearningRateScheduler straightScheduler = new LearningRateScheduler(straightOptimizer, schedule);
        Models.train(straight, straightOptimizer, loader(), 1, 0, 2, 0, -1, CPU, straightScheduler::step);
        assertEquals(24, straightScheduler.steps());
        assertEquals(1e-4, straightOptimizer.learningRate(), 1e-9, "the schedule's end");

        Sequential stopped = Models.rich(CPU);
        AdamW stoppedOptimizer = new AdamW(stopped.parameters(), 0.01, 0.05);
        LearningRateScheduler stoppedScheduler = new LearningRateScheduler(stoppedOptimizer, schedule);
        long steps = Models.train(stopped, stoppedOptimizer, loader(), 1, 0, 2, 0, 5, CPU, stoppedScheduler::step);
        assertEquals(17, steps);
        assertEquals(steps, stoppedScheduler.steps());
        byte[] bytes =
                Checkpoint.toBytes(stopped, stoppedOptimizer, new TrainingProgress(1, 5, steps, SHUFFLE), Map.of());

        Checkpoint checkpoint = Checkpoint.read(bytes, "mid");
        assertTrue(checkpoint.optimizerDescription().startsWith("AdamW("), checkpoint.optimizerDescription());
        Layer resumed = checkpoint.buildModel(CPU);
        Optimizer resumedOptimizer = checkpoint.buildOptimizer(resumed);
        assertTrue(resumedOptimizer instanceof AdamW, resumedOptimizer.toString());
        assertEquals(stoppedOptimizer.learningRate(), resumedOptimizer.learningRate(), "the saved rate");
        TrainingProgress p = checkpoint.progress();
        LearningRateScheduler resumedScheduler = new LearningRateScheduler(resumedOptimizer, schedule, p.step());
        assertEquals(stoppedOptimizer.learningRate(), resumedOptimizer.learningRate(), "the schedule's rate at 17");
        Models.train(
                resumed,
                resumedOptimizer,
                loader(),
                p.completedEpochs() + 1,
                p.batchesIntoEpoch(),
                2,
                p.step(),
                -1,
                CPU,
                resumedScheduler::step);
        assertEquals(24, resumedScheduler.steps());
        byte[][] expected = state(straight, straightOptimizer);
        byte[][] actual = state(resumed, resumedOptimizer);
        assertArrayEquals(expected[0], actual[0], "model: weights, connections, counters");
        assertArrayEquals(expected[1], actual[1], "optimizer: moments, steps, rate, decay");

        Sequential target = Models.rich(CPU);
        ModelFileException wrongKind = assertThrows(
                ModelFileException.class, () -> checkpoint.restore(target, new Adam(target.parameters(), 0.01)));
        assertTrue(wrongKind.getMessage().contains("build a AdamW"), wrongKind.getMessage());
    }

    @Test
    void defaultsAndBadArguments() {
        List<Parameter> parameters = tinyLinear().parameters();
        AdamW adamW = new AdamW(parameters, 0.001);
        assertEquals(AdamW.DEFAULT_WEIGHT_DECAY, adamW.weightDecay(), 1e-9);
        assertEquals("AdamW(lr=0.001, betas=(0.9, 0.999), eps=1.0E-8, weight_decay=0.01)", adamW.toString());
        assertEquals("AdamW", adamW.kind());
        Object[][] cases = {
            {(Runnable) () -> new AdamW(parameters, 0.1, -0.01), "AdamW weight decay must be finite and >= 0"},
            {(Runnable) () -> new AdamW(parameters, 0.1, Double.NaN), "AdamW weight decay"},
            {(Runnable) () -> new AdamW(parameters, 0), "AdamW learning rate must be finite and > 0, got 0.0"},
            {(Runnable) () -> new AdamW(parameters, 0.1, 1.0, 0.999, 1e-8, 0), "AdamW beta1 must be in [0.0, 1.0)"},
            {(Runnable) () -> new AdamW(parameters, 0.1, 0.9, 0.999, 0, 0), "AdamW eps"},
            {(Runnable) () -> new AdamW(List.of(), 0.1), "AdamW got an empty parameter list"},
            {(Runnable) () -> adamW.setLearningRate(-1), "AdamW learning rate"},
        };
        for (Object[] c : cases) {
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class, ((Runnable) c[0])::run);
            assertTrue(e.getMessage().contains((String) c[1]), e.getMessage());
        }
    }
}
