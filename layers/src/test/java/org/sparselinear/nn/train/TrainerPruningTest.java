package org.sparselinear.nn.train;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.logging.Handler;
import java.util.logging.Level;
import java.util.logging.LogRecord;
import java.util.logging.Logger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.sparselinear.api.Backend;
import org.sparselinear.api.Layer;
import org.sparselinear.api.MemoryScope;
import org.sparselinear.api.Parameter;
import org.sparselinear.api.Tensor;
import org.sparselinear.data.Batch;
import org.sparselinear.data.DataLoader;
import org.sparselinear.data.Dataset;
import org.sparselinear.io.Checkpoint;
import org.sparselinear.nn.Flatten;
import org.sparselinear.nn.GradualMagnitudePruning;
import org.sparselinear.nn.Linear;
import org.sparselinear.nn.Models;
import org.sparselinear.nn.PruningSchedule;
import org.sparselinear.nn.ReLU;
import org.sparselinear.nn.Sequential;
import org.sparselinear.nn.SparseLinear;
import org.sparselinear.nn.TrainingProgress;
import org.sparselinear.nn.loss.CrossEntropyLoss;
import org.sparselinear.nn.optim.Adam;
import org.sparselinear.nn.optim.GradientClipping;
import org.sparselinear.nn.optim.LearningRateSchedule;
import org.sparselinear.nn.optim.LearningRateScheduler;
import org.sparselinear.nn.optim.Optimizer;
import org.sparselinear.nn.optim.SGD;
import org.sparselinear.testing.Tensors;

/**
 * {@link Trainer.Builder#pruning}: the trainer prunes exactly as a hand-written loop calling
 * {@link GradualMagnitudePruning#step} does, its learning-rate schedule, clipping, listeners and
 * checkpoints follow the optimizer each pruning step returns, a run resumed mid-schedule ends bit
 * for bit as the whole run, early stopping compares only models at the final sparsity, and a
 * schedule that cannot or did not finish is reported.
 */
class TrainerPruningTest {

    private static final int BATCH = 16;
    private static final int STEPS_PER_EPOCH = 6; // 96 samples in batches of 16

    private final Backend backend = Tensors.backend();
    private final Dataset train = Models.data(96, 1);
    private final Dataset test = Models.data(40, 2);

    /** A dense two-layer network, the same for every seed-equal call. */
    private Sequential dense() {
        return new Sequential(
                new Flatten(),
                new Linear(Models.FEATURES, 16, true, 21, backend),
                new ReLU(),
                new Linear(16, Models.CLASSES, true, 22, backend));
    }

    @Test
    @SuppressWarnings("try") // the scope is used for what it frees on close
    void theTrainerPrunesAsAHandWrittenLoopWithTheScheduleAndClippingOnTheNewOptimizer() {
        PruningSchedule pruning = PruningSchedule.cubic(0.3, 0.8, 2, 9, 3); // prunes at steps 2, 5, 8, 9
        LearningRateSchedule rates = LearningRateSchedule.stepDecay(0.1, 4, 0.5);
        double clip = 0.5;

        Sequential byHand = dense();
        Optimizer optimizer = new SGD(byHand.parameters(), 0.1, 0.9);
        LearningRateScheduler scheduler = new LearningRateScheduler(optimizer, rates);
        GradualMagnitudePruning handPruning = new GradualMagnitudePruning(pruning);
        CrossEntropyLoss criterion = new CrossEntropyLoss();
        DataLoader loader = new DataLoader(train, BATCH, true, 5, false);
        int swaps = 0;
        for (int epoch = 1; epoch <= 2; epoch++) {
            byHand.train();
            for (Batch batch : loader.epoch(epoch)) {
                try (MemoryScope scope = backend.newScope()) {
                    Tensor loss = criterion.forward(byHand.forward(batch.features(backend)), batch.labels());
                    optimizer.zeroGrad();
                    loss.backward();
                    GradientClipping.clipByGlobalNorm(optimizer.parameters(), clip);
                    optimizer.step();
                }
                scheduler.step();
                Optimizer next = handPruning.step(byHand, optimizer);
                if (next != optimizer) {
                    optimizer = next;
                    scheduler = new LearningRateScheduler(optimizer, rates, scheduler.steps());
                    swaps++;
                }
            }
        }
        assertEquals(4, swaps, "the schedule prunes at steps 2, 5, 8 and 9");

        Sequential model = dense();
        SGD first = new SGD(model.parameters(), 0.1, 0.9);
        List<String> stale = new ArrayList<>();
        TrainingListener sameParameters = new TrainingListener() {
            @Override
            public void onStep(TrainingRun run, StepResult step) {
                if (!sameObjects(run.model().parameters(), run.optimizer().parameters())) {
                    stale.add("step " + step.step());
                }
            }
        };
        Trainer trainer = Trainer.builder(model, first, new CrossEntropyLoss())
                .epochs(2)
                .batchSize(BATCH)
                .shuffleSeed(5)
                .learningRateSchedule(rates)
                .clipGradientNorm(clip)
                .pruning(pruning)
                .listeners(sameParameters)
                .build();
        trainer.fit(train);

        assertEquals(List.of(), stale, "listeners see the optimizer over the model's current parameters");
        assertNotSame(first, trainer.optimizer(), "the pruning steps replaced the builder's optimizer");
        assertTrue(sameObjects(model.parameters(), trainer.optimizer().parameters()));
        assertBitsEqual(values(byHand), values(model));
        assertEquals(byHand.toString(), model.toString());
        assertEquals(optimizer.learningRate(), trainer.optimizer().learningRate(), 0);
        assertEquals(
                0.1 * 0.5 * 0.5 * 0.5,
                trainer.optimizer().learningRate(),
                1e-9,
                "12 steps, halved every 4 (SGD keeps it as a float)");
        assertArrayEquals(
                Checkpoint.toBytes(byHand, optimizer, TrainingProgress.afterEpoch(2, 12, 5), Map.of()),
                Checkpoint.toBytes(model, trainer.optimizer(), TrainingProgress.afterEpoch(2, 12, 5), Map.of()),
                "the momentum follows the kept weights as in the hand-written loop");
        GradualMagnitudePruning done = trainer.pruning().orElseThrow();
        assertTrue(done.isFinished());
        assertEquals(0.8, done.sparsity(), 0);
        SparseLinear hidden =
                assertInstanceOf(SparseLinear.class, model.layers().get(1));
        assertEquals(Math.round(0.2 * Models.FEATURES * 16), hidden.nnz());
        optimizer.close();
        trainer.optimizer().close();
        byHand.close();
        model.close();
    }

    @Test
    void aRunCheckpointedMidScheduleResumesBitForBit(@TempDir Path folder) throws Exception {
        PruningSchedule pruning = PruningSchedule.cubic(0, 0.75, 1, 10, 2); // epoch 1 ends at step 6
        LearningRateSchedule rates = LearningRateSchedule.linearWarmup(0.01, 5);

        Sequential whole = dense();
        Trainer straight = Trainer.builder(whole, new Adam(whole.parameters(), 0.01), new CrossEntropyLoss())
                .epochs(2)
                .batchSize(BATCH)
                .shuffleSeed(8)
                .learningRateSchedule(rates)
                .pruning(pruning)
                .listeners(CheckpointListener.everyEpochIn(folder))
                .build();
        straight.fit(train);

        Checkpoint afterFirst = Checkpoint.read(folder.resolve("epoch-1.ckpt"));
        Sequential resumed = (Sequential) afterFirst.buildModel(backend);
        SparseLinear midway =
                assertInstanceOf(SparseLinear.class, resumed.layers().get(1));
        int denseWeights = Models.FEATURES * 16;
        assertTrue(
                midway.nnz() > Math.round(0.25 * denseWeights) && midway.nnz() < denseWeights,
                "the checkpoint holds the layers pruned so far: " + midway);
        Optimizer restored = afterFirst.buildOptimizer(resumed);
        Trainer second = Trainer.builder(resumed, restored, new CrossEntropyLoss())
                .epochs(2)
                .batchSize(BATCH)
                .learningRateSchedule(rates)
                .pruning(pruning)
                .resumeAt(afterFirst.progress())
                .build();
        List<EpochMetrics> history = second.fit(train);

        assertEquals(1, history.size());
        assertEquals(2 * STEPS_PER_EPOCH, second.pruning().orElseThrow().completedSteps());
        TrainingProgress end = TrainingProgress.afterEpoch(2, 2 * STEPS_PER_EPOCH, 8);
        assertArrayEquals(
                Checkpoint.toBytes(whole, straight.optimizer(), end, Map.of()),
                Checkpoint.toBytes(resumed, second.optimizer(), end, Map.of()),
                "weights, connections and Adam's moments as in the uninterrupted run");
        straight.optimizer().close();
        second.optimizer().close();
        whole.close();
        resumed.close();
    }

    @Test
    void earlyStoppingComparesOnlyEpochsAtTheFinalSparsityAndRestoresOneOfThem() {
        Sequential model = dense();
        List<List<float[]>> atEvaluation = new ArrayList<>();
        TrainingListener snapshots = new TrainingListener() {
            @Override
            public void onEpochEvaluated(TrainingRun run, EpochMetrics metrics) {
                atEvaluation.add(values(run.model()));
            }
        };
        // the schedule ends at step 9, in epoch 2; no epoch improves by 10 nats, so epoch 3 stops the run
        EarlyStopping stopping = EarlyStopping.on(Metric.LOSS).patience(1).minDelta(10);
        Trainer trainer = Trainer.builder(model, new SGD(model.parameters(), 0.05, 0.9), new CrossEntropyLoss())
                .epochs(5)
                .batchSize(BATCH)
                .validation(test)
                .pruning(PruningSchedule.cubic(0, 0.6, 1, 9, 2))
                .listeners(snapshots, stopping)
                .build();
        List<EpochMetrics> history = trainer.fit(train);

        assertEquals(3, history.size(), "epoch 1 (still pruning) is not compared, epoch 2 is the best");
        assertEquals(2, stopping.bestEpoch());
        assertBitsEqual(atEvaluation.get(1), values(model));
        trainer.optimizer().close();
        model.close();
    }

    @Test
    void aScheduleEndingAfterTheRunsLastStepIsRefusedBeforeTraining() {
        Sequential model = dense();
        List<float[]> before = values(model);
        SGD optimizer = new SGD(model.parameters(), 0.1);
        Trainer trainer = Trainer.builder(model, optimizer, new CrossEntropyLoss())
                .epochs(2)
                .batchSize(BATCH)
                .pruning(PruningSchedule.cubic(0, 0.9, 1, 13, 2))
                .build();
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> trainer.fit(train));
        assertTrue(
                e.getMessage()
                        .contains("the pruning schedule ends at step 13 but the run takes 12 optimizer steps "
                                + "(2 epochs of 6 batches)"),
                e.getMessage());
        assertTrue(e.getMessage().contains("end the schedule by step 12 or train more epochs"), e.getMessage());
        assertBitsEqual(before, values(model));
        assertSame(optimizer, trainer.optimizer());
        optimizer.close();
        model.close();
    }

    @Test
    void aRunStoppedBeforeTheEndStepWarnsWhereThePruningStopped() {
        Logger log = Logger.getLogger("org.sparselinear.nn");
        List<String> warnings = new ArrayList<>();
        Handler recorder = new Handler() {
            @Override
            public void publish(LogRecord record) {
                if (record.getLevel().intValue() >= Level.WARNING.intValue()) {
                    warnings.add(record.getMessage());
                }
            }

            @Override
            public void flush() {}

            @Override
            public void close() {}
        };
        TrainingListener stopAfterFirstEpoch = new TrainingListener() {
            @Override
            public void onEpochEnd(TrainingRun run, EpochMetrics metrics) {
                run.requestStop("enough");
            }
        };
        Sequential model = dense();
        Trainer trainer = Trainer.builder(model, new SGD(model.parameters(), 0.1), new CrossEntropyLoss())
                .epochs(2)
                .batchSize(BATCH)
                .pruning(PruningSchedule.cubic(0.5, 0.9, 1, 12, 5))
                .listeners(stopAfterFirstEpoch)
                .build();
        log.addHandler(recorder);
        try {
            trainer.fit(train);
        } finally {
            log.removeHandler(recorder);
        }
        GradualMagnitudePruning pruning = trainer.pruning().orElseThrow();
        assertFalse(pruning.isFinished());
        assertEquals(List.of(pruning.unfinishedMessage()), warnings);
        // 0.9 + (0.5 - 0.9) (1 - 5/11)^3 after the pruning step at step 6
        assertTrue(
                warnings.get(0).contains("stopped after 6 optimizer steps at sparsity 0.8351, before its end step 12"),
                warnings.get(0));
        trainer.optimizer().close();
        model.close();
    }

    @Test
    void pruningAModelThatIsNotASequentialIsRefused() {
        Linear bare = new Linear(Models.FEATURES, Models.CLASSES, true, 3, backend);
        SGD optimizer = new SGD(bare.parameters(), 0.1);
        Trainer.Builder builder = Trainer.builder(bare, optimizer, new CrossEntropyLoss())
                .pruning(PruningSchedule.cubic(0, 0.5, 1, 4, 1));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, builder::build);
        assertTrue(
                e.getMessage().contains("replaces the Linear and SparseLinear layers of a Sequential"), e.getMessage());
        assertTrue(e.getMessage().contains("wrap its layers in a Sequential"), e.getMessage());
        optimizer.close();
        bare.close();
    }

    private static boolean sameObjects(List<Parameter> expected, List<Parameter> actual) {
        if (expected.size() != actual.size()) {
            return false;
        }
        for (int i = 0; i < expected.size(); i++) {
            if (expected.get(i) != actual.get(i)) {
                return false;
            }
        }
        return true;
    }

    private static List<float[]> values(Layer model) {
        List<float[]> values = new ArrayList<>();
        for (Parameter parameter : model.parameters()) {
            values.add(parameter.toArray());
        }
        return values;
    }

    private static void assertBitsEqual(List<float[]> expected, List<float[]> actual) {
        assertEquals(expected.size(), actual.size());
        for (int i = 0; i < expected.size(); i++) {
            assertArrayEquals(expected.get(i), actual.get(i), "parameter " + i);
        }
    }
}
