package com.example.thirdparty;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.sparselinear.api.Backend;
import org.sparselinear.api.Backends;
import org.sparselinear.api.MemoryScope;
import org.sparselinear.api.Tensor;
import org.sparselinear.data.Batch;
import org.sparselinear.data.DataLoader;
import org.sparselinear.data.Dataset;
import org.sparselinear.io.Checkpoint;
import org.sparselinear.io.ModelFile;
import org.sparselinear.nn.LayerNorm;
import org.sparselinear.nn.Linear;
import org.sparselinear.nn.PruningSchedule;
import org.sparselinear.nn.ReLU;
import org.sparselinear.nn.Sequential;
import org.sparselinear.nn.SparseLinear;
import org.sparselinear.nn.TrainingHooks;
import org.sparselinear.nn.loss.CrossEntropyLoss;
import org.sparselinear.nn.optim.SGD;
import org.sparselinear.nn.sparsity.RigL;
import org.sparselinear.nn.train.CheckpointListener;
import org.sparselinear.nn.train.EarlyStopping;
import org.sparselinear.nn.train.EpochMetrics;
import org.sparselinear.nn.train.JsonRecordListener;
import org.sparselinear.nn.train.Metric;
import org.sparselinear.nn.train.Metrics;
import org.sparselinear.nn.train.Predictor;
import org.sparselinear.nn.train.Trainer;

/**
 * The README's "Training without writing the loop" as a user writes it, with the public API only:
 * a trainer with validation and early stopping learns a task, predicts one sample as the saved and
 * reloaded model does, and the README's own loop with RigL and no hooks rewires the layer. From
 * "Pruning a trained dense model": the trainer prunes a dense model into SparseLinear layers that
 * save, load and resume from the run's checkpoint.
 */
class ReadmeTrainerTest {

    private static final int CLASSES = 3;
    private static final int FEATURES = 8;

    @TempDir
    Path temp;

    /** Gaussian features with a class in [0, 3); feature 2 holds the class, so a few epochs learn it. */
    private static Dataset data(int count, long seed) {
        SplittableRandom random = new SplittableRandom(seed);
        float[][] features = new float[count][FEATURES];
        int[] labels = new int[count];
        for (int s = 0; s < count; s++) {
            for (int f = 0; f < FEATURES; f++) {
                features[s][f] = (float) random.nextGaussian();
            }
            labels[s] = Math.floorMod(Math.round(features[s][0] + features[s][1]), CLASSES);
            features[s][2] = labels[s];
        }
        return Dataset.of(features, labels, CLASSES);
    }

    private static Sequential model(RigL rigl) {
        SparseLinear.Options options = SparseLinear.options().sparsity(0.5).seed(3);
        return new Sequential(
                new SparseLinear(FEATURES, 32, rigl != null ? options.rewiring(rigl) : options),
                new LayerNorm(32),
                new ReLU(),
                new SparseLinear(
                        32, CLASSES, SparseLinear.options().sparsity(0.5).seed(4)));
    }

    @Test
    void theTrainerLearnsStopsEarlyAndPredictsAsTheSavedModel() throws Exception {
        Dataset train = data(300, 1);
        Dataset test = data(100, 2);
        Sequential model = model(null);
        Trainer trainer = Trainer.builder(model, new SGD(model.parameters(), 0.1, 0.9), new CrossEntropyLoss())
                .epochs(30)
                .batchSize(16)
                .validation(test)
                .listeners(
                        new JsonRecordListener(temp.resolve("run.json")),
                        CheckpointListener.to(temp.resolve("last.ckpt")),
                        EarlyStopping.on(Metric.LOSS).patience(2).minDelta(0.01))
                .build();
        List<EpochMetrics> history = trainer.fit(train);
        Metrics metrics = trainer.evaluate(test);

        assertTrue(history.size() < 30, "the validation loss stopped improving before 30 epochs");
        assertTrue(metrics.accuracy() > 0.9, "learned: " + metrics);
        assertTrue(Files.exists(temp.resolve("run.json")) && Files.exists(temp.resolve("last.ckpt")));
        float[] sample = test.get(0).values();
        ModelFile.save(model, temp.resolve("model.safetensors"));
        Predictor loaded = new Predictor(ModelFile.load(temp.resolve("model.safetensors")));
        assertArrayEquals(trainer.predict(sample), loaded.predict(sample));
    }

    @Test
    @SuppressWarnings("try")
    void theReadmesOwnLoopRewiresRigLWithoutHooks() {
        Backend backend = Backends.get();
        Dataset train = data(320, 5);
        int epochs = 3;
        DataLoader loader = new DataLoader(train, 16, true, 0L, true);
        RigL rigl = RigL.forPlannedSteps((long) epochs * loader.size()).withDeltaT(10);
        Sequential model = model(rigl);
        SparseLinear first = (SparseLinear) model.layers().get(0);
        int[][] before = first.connectivity().toCoo();
        CrossEntropyLoss criterion = new CrossEntropyLoss();
        SGD optimizer = new SGD(model.parameters(), 0.1, 0.9);
        for (int epoch = 1; epoch <= epochs; epoch++) {
            for (Batch batch : loader.epoch(epoch)) {
                try (MemoryScope step = backend.newScope()) {
                    Tensor loss = criterion.forward(model.forward(batch.features(backend)), batch.labels());
                    optimizer.zeroGrad();
                    loss.backward();
                    optimizer.step();
                }
            }
            TrainingHooks.afterEpoch(model);
        }
        int[][] after = first.connectivity().toCoo();
        assertEquals(before[0].length, after[0].length, "nnz stays");
        assertFalse(Arrays.equals(before[0], after[0]) && Arrays.equals(before[1], after[1]), "RigL rewired");
    }

    @Test
    void theTrainerPrunesADenseModelThatSavesAndResumes() throws Exception {
        Dataset train = data(320, 7);
        Dataset test = data(100, 8);
        Sequential model = new Sequential(new Linear(FEATURES, 32), new ReLU(), new Linear(32, CLASSES));
        var schedule = PruningSchedule.cubic(0.0, 0.9, 1, 60, 5); // 20 batches an epoch: ends in epoch 3
        Trainer trainer = Trainer.builder(model, new SGD(model.parameters(), 0.05, 0.9), new CrossEntropyLoss())
                .epochs(6)
                .batchSize(16)
                .validation(test)
                .pruning(schedule)
                .listeners(
                        CheckpointListener.to(temp.resolve("run.ckpt")),
                        EarlyStopping.on(Metric.ACCURACY).patience(2))
                .build();
        trainer.fit(train);

        assertTrue(trainer.pruning().orElseThrow().isFinished());
        SparseLinear first = (SparseLinear) model.layers().get(0);
        assertEquals(Math.round(0.1 * FEATURES * 32), first.nnz(), "90 % of the weights are gone: " + model);
        assertTrue(trainer.evaluate(test).accuracy() > 0.8, "still learned: " + trainer.evaluate(test));
        ModelFile.save(model, temp.resolve("pruned.safetensors"));
        float[] sample = test.get(0).values();
        assertArrayEquals(
                trainer.predict(sample),
                new Predictor(ModelFile.load(temp.resolve("pruned.safetensors"))).predict(sample));

        Checkpoint checkpoint = Checkpoint.read(temp.resolve("run.ckpt"));
        Sequential pruned = (Sequential) checkpoint.buildModel(Backends.get());
        Trainer resumed = Trainer.builder(pruned, checkpoint.buildOptimizer(pruned), new CrossEntropyLoss())
                .epochs(checkpoint.progress().completedEpochs() + 1)
                .batchSize(16)
                .validation(test)
                .pruning(schedule)
                .resumeAt(checkpoint.progress())
                .build();
        assertEquals(1, resumed.fit(train).size());
        assertEquals(first.nnz(), ((SparseLinear) pruned.layers().get(0)).nnz(), "the pattern is the final one");
        trainer.optimizer().close();
        resumed.optimizer().close();
    }
}
