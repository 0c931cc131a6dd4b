package org.sparselinear.nn;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.logging.Handler;
import java.util.logging.Level;
import java.util.logging.LogRecord;
import java.util.logging.Logger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.sparselinear.api.Backend;
import org.sparselinear.api.Connectivity;
import org.sparselinear.api.Layer;
import org.sparselinear.api.MemoryScope;
import org.sparselinear.api.Parameter;
import org.sparselinear.api.Tensor;
import org.sparselinear.io.Checkpoint;
import org.sparselinear.io.ModelFile;
import org.sparselinear.io.StateWriter;
import org.sparselinear.nn.loss.CrossEntropyLoss;
import org.sparselinear.nn.optim.Adam;
import org.sparselinear.nn.optim.Optimizer;
import org.sparselinear.nn.optim.SGD;
import org.sparselinear.nn.sparsity.SET;
import org.sparselinear.testing.Tensors;

/**
 * {@link PruningSchedule} and {@link GradualMagnitudePruning}: the cubic schedule at hand-computed
 * steps, exactly the largest magnitudes kept, real {@link SparseLinear} layers whose pattern
 * shrinks, optimizer state following the kept weights bit for bit, training going on after the
 * conversion, and clear errors.
 */
class GradualMagnitudePruningTest {

    private static final int IN = 6;
    private static final int HIDDEN = 8;
    private static final int CLASSES = 3;
    private static final int BATCH = 24;

    @TempDir
    Path temp;

    @Test
    void theCubicScheduleGivesZhuAndGuptasSparsities() {
        PruningSchedule schedule = PruningSchedule.cubic(0.2, 0.9, 10, 110, 25);
        assertEquals(0, schedule.sparsityAt(9), "nothing before the begin step");
        assertEquals(0.2, schedule.sparsityAt(10), 1e-12);
        // halfway: 0.9 + (0.2 - 0.9) * (1 - 50/100)^3 = 0.9 - 0.7 / 8
        assertEquals(0.8125, schedule.sparsityAt(60), 1e-12);
        // a quarter in: 0.9 - 0.7 * 0.75^3
        assertEquals(0.9 - 0.7 * 0.421875, schedule.sparsityAt(35), 1e-12);
        assertEquals(0.9, schedule.sparsityAt(110), 0);
        assertEquals(0.9, schedule.sparsityAt(1_000), 0);
        List<Long> pruningSteps = new ArrayList<>();
        for (long step = 1; step <= 200; step++) {
            if (schedule.prunesAt(step)) {
                pruningSteps.add(step);
            }
        }
        assertEquals(List.of(10L, 35L, 60L, 85L, 110L), pruningSteps);
        PruningSchedule uneven = PruningSchedule.cubic(0, 0.5, 1, 10, 4);
        List<Long> unevenSteps = new ArrayList<>();
        for (long step = 1; step <= 20; step++) {
            if (uneven.prunesAt(step)) {
                unevenSteps.add(step);
            }
        }
        assertEquals(List.of(1L, 5L, 9L, 10L), unevenSteps, "the end step always prunes");
    }

    @Test
    void badSchedulesAreRefusedWithWhatIsExpected() {
        assertMessage("final sparsity must be in [0, 1), got 1.0", () -> PruningSchedule.cubic(0, 1, 1, 10, 1));
        assertMessage(
                "final sparsity must be in [0, 1), got NaN", () -> PruningSchedule.cubic(0, Double.NaN, 1, 10, 1));
        assertMessage(
                "initial sparsity must be in [0, final sparsity 0.5], got 0.7",
                () -> PruningSchedule.cubic(0.7, 0.5, 1, 10, 1));
        assertMessage("begin step counts optimizer steps from 1, got 0", () -> PruningSchedule.cubic(0, 0.5, 0, 10, 1));
        assertMessage(
                "end step must come after the begin step 10, got 10", () -> PruningSchedule.cubic(0, 0.5, 10, 10, 1));
        assertMessage(
                "frequency is a number of steps, at least 1, got 0", () -> PruningSchedule.cubic(0, 0.5, 1, 10, 0));
        PruningSchedule schedule = PruningSchedule.cubic(0, 0.5, 1, 10, 1);
        assertMessage("completed steps must be >= 0, got -1", () -> new GradualMagnitudePruning(schedule, -1));
    }

    @Test
    void eachPruningStepKeepsExactlyTheLargestMagnitudesAndShrinksThePattern() {
        Sequential model = model(11L);
        float[] dense = model.layers().get(0).parameters().get(0).toArray();
        float[] bias = model.layers().get(0).parameters().get(1).toArray();
        // step 1: sparsity 0.5; step 2: 0.75 + (0.5 - 0.75) (1 - 1/2)^3 = 0.71875; step 3: 0.75
        GradualMagnitudePruning pruning = new GradualMagnitudePruning(PruningSchedule.cubic(0.5, 0.75, 1, 3, 1));
        Optimizer optimizer = new SGD(model.parameters(), 0.1);
        optimizer = pruning.step(model, optimizer);
        SparseLinear first = assertInstanceOf(SparseLinear.class, model.layers().get(0));
        assertInstanceOf(SparseLinear.class, model.layers().get(2));
        assertKeepsLargest(dense, first, 24);
        assertArrayEquals(bias, first.parameters().get(1).toArray(), "the bias is kept");

        float[] afterFirst = first.parameters().get(0).toArray();
        Connectivity before = first.connectivity();
        optimizer = pruning.step(model, optimizer);
        SparseLinear second =
                assertInstanceOf(SparseLinear.class, model.layers().get(0));
        assertNotSame(first, second);
        assertTrue(first.isClosed(), "the replaced layer is closed");
        assertEquals(Math.round(0.28125 * IN * HIDDEN), second.nnz());
        float[] magnitudes = new float[afterFirst.length];
        for (int k = 0; k < afterFirst.length; k++) {
            magnitudes[k] = Math.abs(afterFirst[k]);
        }
        Arrays.sort(magnitudes);
        float threshold = magnitudes[afterFirst.length - second.nnz()];
        int[][] kept = before.toCoo();
        List<Float> expected = new ArrayList<>();
        for (int k = 0; k < afterFirst.length; k++) {
            boolean large = Math.abs(afterFirst[k]) >= threshold;
            assertEquals(large, second.connectivity().contains(kept[0][k], kept[1][k]), "connection " + k);
            if (large) {
                expected.add(afterFirst[k]);
            }
        }
        float[] values = second.parameters().get(0).toArray();
        for (int k = 0; k < values.length; k++) {
            assertEquals(expected.get(k), values[k], 0f, "value " + k + " is kept bit for bit");
        }
        assertFalse(pruning.isFinished());
        optimizer = pruning.step(model, optimizer);
        assertTrue(pruning.isFinished());
        assertEquals(
                Math.round(0.25 * IN * HIDDEN), ((SparseLinear) model.layers().get(0)).nnz());
        assertEquals(
                Math.round(0.25 * HIDDEN * CLASSES),
                ((SparseLinear) model.layers().get(2)).nnz());
        assertSame(optimizer, pruning.step(model, optimizer), "nothing changes after the end step");
        optimizer.close();
        model.close();
    }

    @Test
    void sgdMomentumFollowsTheKeptWeightsAndTheRemovedIsGone() {
        Sequential model = model(12L);
        Optimizer sgd = new SGD(model.parameters(), 0.05, 0.9);
        trainSteps(model, sgd, 3);
        Parameter weight = model.layers().get(0).parameters().get(0);
        Parameter bias = model.layers().get(0).parameters().get(1);
        float[] velocity = state(sgd, weight, "momentum_buffer");
        float[] biasVelocity = state(sgd, bias, "momentum_buffer");
        float[] weights = weight.toArray();
        double learningRate = sgd.learningRate();
        GradualMagnitudePruning pruning = new GradualMagnitudePruning(PruningSchedule.cubic(0.5, 0.8, 1, 5, 2));
        Optimizer pruned = pruning.step(model, sgd);
        assertNotSame(sgd, pruned);
        assertInstanceOf(SGD.class, pruned);
        assertEquals(learningRate, pruned.learningRate(), 0);
        assertTrue(assertThrows(IllegalStateException.class, sgd::step)
                .getMessage()
                .contains("was closed"));
        SparseLinear layer = (SparseLinear) model.layers().get(0);
        int[][] coo = layer.connectivity().toCoo();
        float[] keptVelocity = state(pruned, layer.parameters().get(0), "momentum_buffer");
        assertEquals(weights.length / 2, keptVelocity.length, "the removed weights' momentum is gone");
        for (int k = 0; k < coo[0].length; k++) {
            int position = coo[0][k] * IN + coo[1][k];
            assertEquals(velocity[position], keptVelocity[k], 0f, "momentum of kept weight " + position);
            assertEquals(weights[position], layer.parameters().get(0).toArray()[k], 0f);
        }
        assertArrayEquals(biasVelocity, state(pruned, layer.parameters().get(1), "momentum_buffer"), 0f);
        pruned.close();
        model.close();
    }

    @Test
    void adamMomentsAndStepCountFollowASparseLayerPrunedFurther() {
        Sequential model = model(13L);
        Optimizer adam = new Adam(model.parameters(), 0.01);
        GradualMagnitudePruning pruning = new GradualMagnitudePruning(PruningSchedule.cubic(0.5, 0.75, 1, 4, 3));
        adam = pruning.step(model, adam);
        trainSteps(model, adam, 2);
        adam = pruning.step(model, adam); // step 2: no pruning
        trainSteps(model, adam, 1);
        adam = pruning.step(model, adam); // step 3: none either
        SparseLinear layer = (SparseLinear) model.layers().get(2);
        Parameter weight = layer.parameters().get(0);
        float[] firstMoment = state(adam, weight, "exp_avg");
        float[] secondMoment = state(adam, weight, "exp_avg_sq");
        float[] values = weight.toArray();
        StateWriter settings = new StateWriter();
        ((Adam) adam).describe(settings);
        Optimizer pruned = pruning.step(model, adam); // step 4: 0.75
        SparseLinear smaller = (SparseLinear) model.layers().get(2);
        assertEquals(Math.round(0.25 * HIDDEN * CLASSES), smaller.nnz());
        Connectivity old = layer.connectivity();
        int[][] kept = smaller.connectivity().toCoo();
        int[] positions = old.positionsOf(kept[0], kept[1]);
        float[] keptFirst = state(pruned, smaller.parameters().get(0), "exp_avg");
        float[] keptSecond = state(pruned, smaller.parameters().get(0), "exp_avg_sq");
        for (int k = 0; k < positions.length; k++) {
            assertEquals(firstMoment[positions[k]], keptFirst[k], 0f);
            assertEquals(secondMoment[positions[k]], keptSecond[k], 0f);
            assertEquals(values[positions[k]], smaller.parameters().get(0).toArray()[k], 0f);
        }
        StateWriter carried = new StateWriter();
        ((Adam) pruned).describe(carried);
        assertEquals(settings.config(), carried.config(), "settings and step count carry over");
        pruned.close();
        model.close();
    }

    @Test
    void trainingGoesOnAfterTheConversionAndThePrunedModelSavesAsSparseLayers() throws IOException {
        Sequential model = model(14L);
        Optimizer optimizer = new SGD(model.parameters(), 0.2, 0.9);
        float start = trainSteps(model, optimizer, 1);
        trainSteps(model, optimizer, 40);
        GradualMagnitudePruning pruning = new GradualMagnitudePruning(PruningSchedule.cubic(0, 0.6, 1, 40, 5));
        float atConversion = Float.NaN;
        for (int step = 1; step <= 120; step++) {
            float loss = trainSteps(model, optimizer, 1);
            if (step == 1) {
                atConversion = loss;
            }
            optimizer = pruning.step(model, optimizer);
        }
        float end = trainSteps(model, optimizer, 1);
        assertTrue(pruning.isFinished());
        assertTrue(end < start / 2, "loss " + start + " before training, " + end + " after pruning to 60 %");
        assertTrue(end < atConversion, "fine-tuning lowers the loss: " + atConversion + " -> " + end);
        SparseLinear first = (SparseLinear) model.layers().get(0);
        assertEquals(Math.round(0.4 * IN * HIDDEN), first.nnz());

        Path file = temp.resolve("pruned.safetensors");
        model.save(file);
        try (Sequential loaded = Sequential.load(file)) {
            SparseLinear loadedFirst =
                    assertInstanceOf(SparseLinear.class, loaded.layers().get(0));
            assertEquals(first.connectivity(), loadedFirst.connectivity());
            Tensor x = Tensors.constant(inputs(), BATCH, IN);
            model.eval();
            loaded.eval();
            assertArrayEquals(model.forward(x).toArray(), loaded.forward(x).toArray(), 0f);
        }
        optimizer.close();
        model.close();
    }

    @Test
    void aRunCheckpointedMidPruningResumesBitForBit() throws IOException {
        PruningSchedule schedule = PruningSchedule.cubic(0.3, 0.8, 1, 12, 3);
        Sequential straight = model(17L);
        Optimizer straightOptimizer = new SGD(straight.parameters(), 0.1, 0.9);
        GradualMagnitudePruning straightPruning = new GradualMagnitudePruning(schedule);
        for (int step = 1; step <= 16; step++) {
            trainSteps(straight, straightOptimizer, 1);
            straightOptimizer = straightPruning.step(straight, straightOptimizer);
        }

        Sequential first = model(17L);
        Optimizer firstOptimizer = new SGD(first.parameters(), 0.1, 0.9);
        GradualMagnitudePruning firstPruning = new GradualMagnitudePruning(schedule);
        for (int step = 1; step <= 7; step++) {
            trainSteps(first, firstOptimizer, 1);
            firstOptimizer = firstPruning.step(first, firstOptimizer);
        }
        TrainingProgress progress = new TrainingProgress(0, 7, 7, 0);
        Checkpoint checkpoint =
                Checkpoint.read(Checkpoint.toBytes(first, firstOptimizer, progress, Map.of()), "mid-pruning");
        Sequential resumed = (Sequential) checkpoint.buildModel(Tensors.backend());
        Optimizer resumedOptimizer = checkpoint.buildOptimizer(resumed);
        GradualMagnitudePruning resumedPruning =
                new GradualMagnitudePruning(schedule, checkpoint.progress().step());
        for (int step = 8; step <= 16; step++) {
            trainSteps(resumed, resumedOptimizer, 1);
            resumedOptimizer = resumedPruning.step(resumed, resumedOptimizer);
        }

        assertTrue(resumedPruning.isFinished());
        assertArrayEquals(ModelFile.toBytes(straight), ModelFile.toBytes(resumed), "weights and connections");
        assertArrayEquals(
                Checkpoint.toBytes(straight, straightOptimizer, progress, Map.of()),
                Checkpoint.toBytes(resumed, resumedOptimizer, progress, Map.of()),
                "optimizer state");
        for (Optimizer optimizer : List.of(straightOptimizer, firstOptimizer, resumedOptimizer)) {
            optimizer.close();
        }
        for (Sequential model : List.of(straight, first, resumed)) {
            model.close();
        }
    }

    @Test
    void stoppingBeforeTheEndStepIsReportedAndWarned() {
        Logger log = Logger.getLogger("org.sparselinear.nn");
        List<LogRecord> warnings = new ArrayList<>();
        Handler recorder = new Handler() {
            @Override
            public void publish(LogRecord record) {
                if (record.getLevel().intValue() >= Level.WARNING.intValue()) {
                    warnings.add(record);
                }
            }

            @Override
            public void flush() {}

            @Override
            public void close() {}
        };
        log.addHandler(recorder);
        Sequential model = model(15L);
        Optimizer optimizer = new SGD(model.parameters(), 0.1);
        try (GradualMagnitudePruning pruning = new GradualMagnitudePruning(PruningSchedule.cubic(0.5, 0.9, 1, 10, 2))) {
            optimizer = pruning.step(model, optimizer);
            assertFalse(pruning.isFinished());
            assertEquals(0.5, pruning.sparsity(), 0);
            assertTrue(
                    pruning.unfinishedMessage()
                            .contains("stopped after 1 optimizer steps at sparsity 0.5000, "
                                    + "before its end step 10 and final sparsity 0.9"),
                    pruning.unfinishedMessage());
        } finally {
            log.removeHandler(recorder);
        }
        assertEquals(1, warnings.size(), "one warning when it stops early");
        assertTrue(warnings.get(0).getMessage().contains("before its end step 10"));
        optimizer.close();
        model.close();
    }

    @Test
    void modelsAndOptimizersItCannotPruneAreRefusedClearly() {
        GradualMagnitudePruning pruning = new GradualMagnitudePruning(PruningSchedule.cubic(0.5, 0.9, 1, 10, 2));
        try (Sequential noLinear = new Sequential(new ReLU(), new Tanh())) {
            assertMessage(
                    "has no Linear or SparseLinear layer",
                    () -> pruning.step(noLinear, new SGD(List.of(Tensors.leaf(new float[] {1}, 1, 1)), 0.1)));
        }
        try (Sequential rewiring = new Sequential(new SparseLinear(
                IN,
                HIDDEN,
                SparseLinear.options().rewiring(SET.defaults()).seed(1).backend(Tensors.backend())))) {
            assertMessage("rewires its connections", () -> pruning.step(rewiring, new SGD(rewiring.parameters(), 0.1)));
        }
        Sequential model = model(16L);
        Optimizer unsaveable = new Optimizer() {
            @Override
            public List<Parameter> parameters() {
                return model.parameters();
            }

            @Override
            public void step() {}

            @Override
            public void zeroGrad() {}

            @Override
            public void remapState(Parameter parameter, int[] sourcePositions) {}
        };
        Linear first = (Linear) model.layers().get(0);
        assertMessage("is not Saveable", () -> pruning.step(model, unsaveable));
        assertSame(first, model.layers().get(0), "a refused step leaves the model as it was");
        assertFalse(first.isClosed());
        try (Sequential tiny = new Sequential(new Linear(2, 1, true, 1L, Tensors.backend()))) {
            GradualMagnitudePruning far = new GradualMagnitudePruning(PruningSchedule.cubic(0.9, 0.9, 1, 2, 1));
            assertMessage("keeps no weight", () -> far.step(tiny, new SGD(tiny.parameters(), 0.1)));
        }
        model.close();
    }

    // ---- helpers ----------------------------------------------------------------------------

    private static Sequential model(long seed) {
        Backend backend = Tensors.backend();
        return new Sequential(
                new Linear(IN, HIDDEN, true, seed, backend),
                new ReLU(),
                new Linear(HIDDEN, CLASSES, true, seed + 100, backend));
    }

    private static float[] inputs() {
        return Tensors.uniform(21L, BATCH * IN, -1, 1);
    }

    /** Labels of a fixed teacher: the largest of three sums of input features. */
    private static int[] labels() {
        float[] x = inputs();
        int[] labels = new int[BATCH];
        for (int b = 0; b < BATCH; b++) {
            float[] scores = {x[b * IN] + x[b * IN + 1], x[b * IN + 2] - x[b * IN + 3], x[b * IN + 4] + x[b * IN + 5]};
            int best = 0;
            for (int c = 1; c < CLASSES; c++) {
                if (scores[c] > scores[best]) {
                    best = c;
                }
            }
            labels[b] = best;
        }
        return labels;
    }

    /** Full-batch training steps; returns the loss of the last one (before its update). */
    @SuppressWarnings("try")
    private static float trainSteps(Layer model, Optimizer optimizer, int steps) {
        Backend backend = Tensors.backend();
        CrossEntropyLoss criterion = new CrossEntropyLoss();
        float[] x = inputs();
        int[] labels = labels();
        float loss = Float.NaN;
        for (int i = 0; i < steps; i++) {
            try (MemoryScope scope = backend.newScope()) {
                Tensor value = criterion.forward(model.forward(Tensors.constant(x, BATCH, IN)), labels);
                loss = value.item();
                optimizer.zeroGrad();
                value.backward();
                optimizer.step();
            }
        }
        return loss;
    }

    private static float[] state(Optimizer optimizer, Parameter parameter, String name) {
        StateWriter out = new StateWriter();
        ((org.sparselinear.io.Saveable) optimizer).describe(out);
        for (StateWriter.ParameterState entry : out.parameterStates()) {
            if (entry.parameter() == parameter && entry.state().equals(name)) {
                return entry.values();
            }
        }
        throw new AssertionError("no state " + name + " for " + parameter + " in " + optimizer);
    }

    private static void assertKeepsLargest(float[] dense, SparseLinear layer, int keep) {
        assertEquals(keep, layer.nnz());
        float[] magnitudes = new float[dense.length];
        for (int i = 0; i < dense.length; i++) {
            magnitudes[i] = Math.abs(dense[i]);
        }
        Arrays.sort(magnitudes);
        float threshold = magnitudes[dense.length - keep];
        for (int position = 0; position < dense.length; position++) {
            assertEquals(
                    Math.abs(dense[position]) >= threshold,
                    layer.connectivity().contains(position / IN, position % IN),
                    "position " + position);
        }
    }

    private static void assertMessage(String expected, org.junit.jupiter.api.function.Executable call) {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, call);
        assertTrue(e.getMessage().contains(expected), e.getMessage());
    }
}
