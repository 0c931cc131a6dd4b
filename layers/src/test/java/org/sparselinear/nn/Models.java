package org.sparselinear.nn;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import java.io.IOException;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.function.LongFunction;
import org.sparselinear.api.Backend;
import org.sparselinear.api.Layer;
import org.sparselinear.api.MemoryScope;
import org.sparselinear.api.Tensor;
import org.sparselinear.data.Batch;
import org.sparselinear.data.DataLoader;
import org.sparselinear.data.Dataset;
import org.sparselinear.io.Checkpoint;
import org.sparselinear.io.ModelFile;
import org.sparselinear.nn.loss.CrossEntropyLoss;
import org.sparselinear.nn.optim.Adam;
import org.sparselinear.nn.optim.Optimizer;
import org.sparselinear.nn.sparsity.RigL;
import org.sparselinear.nn.sparsity.SET;
import org.sparselinear.testing.Tensors;

/** Small models with every kind of layer and state, synthetic data, and a plain training loop, for the persistence and trainer tests. */
public final class Models {

    public static final int[] SAMPLE_SHAPE = {1, 3, 4};
    public static final int FEATURES = 12;
    public static final int CLASSES = 3;

    private Models() {}

    /**
     * Every layer kind with state: FeatureAffine, SparseLinear with RigL (rewiring every 4 steps),
     * LayerNorm, ReLU, KWinners, a nested Sequential with a SET layer, Linear, FixedSparseMap.
     * Built with explicit seeds only, so the global {@link Init} sequence plays no part.
     */
    public static Sequential rich(Backend backend) {
        return Init.withSeed(
                11,
                () -> new Sequential(
                        new Flatten(),
                        new FeatureAffine(FEATURES, backend),
                        new SparseLinear(
                                FEATURES,
                                16,
                                SparseLinear.options()
                                        .sparsity(0.5)
                                        .seed(1)
                                        .backend(backend)
                                        .rewiring(RigL.forPlannedSteps(1000)
                                                .withDeltaT(4)
                                                .withAlpha(0.5))),
                        new LayerNorm(16, backend),
                        new ReLU(),
                        new KWinners(
                                16,
                                0.5,
                                KWinners.options()
                                        .boostStrength(1.5)
                                        .dutyCyclePeriod(40)
                                        .backend(backend)),
                        new Sequential(
                                new SparseLinear(
                                        16,
                                        9,
                                        SparseLinear.options()
                                                .sparsity(0.6)
                                                .seed(2)
                                                .backend(backend)
                                                .rewiring(SET.withZeta(0.4))),
                                new ReLU()),
                        new Linear(9, 6, true, 3, backend),
                        FixedSparseMap.sumGroups(6, CLASSES, backend)));
    }

    /** A plain sparse MLP without rewiring or K-Winners. */
    public static Sequential plain(Backend backend, long seed) {
        return new Sequential(
                new Flatten(),
                new SparseLinear(
                        FEATURES,
                        20,
                        SparseLinear.options().sparsity(0.7).seed(seed).backend(backend)),
                new LayerNorm(20, backend),
                new ReLU(),
                new SparseLinear(
                        20,
                        CLASSES,
                        SparseLinear.options().sparsity(0.3).seed(seed + 1).backend(backend)));
    }

    /** {@code n} samples whose class is the largest of three random projections; reproducible from {@code seed}. */
    public static Dataset data(int n, long seed) {
        SplittableRandom random = new SplittableRandom(seed);
        float[] projections = new float[CLASSES * FEATURES];
        for (int i = 0; i < projections.length; i++) {
            projections[i] = (float) random.nextGaussian();
        }
        float[] features = new float[n * FEATURES];
        int[] labels = new int[n];
        for (int s = 0; s < n; s++) {
            double best = Double.NEGATIVE_INFINITY;
            for (int f = 0; f < FEATURES; f++) {
                features[s * FEATURES + f] = (float) random.nextGaussian();
            }
            for (int c = 0; c < CLASSES; c++) {
                double score = 0;
                for (int f = 0; f < FEATURES; f++) {
                    score += projections[c * FEATURES + f] * features[s * FEATURES + f];
                }
                if (score > best) {
                    best = score;
                    labels[s] = c;
                }
            }
        }
        return Dataset.of(features, labels, SAMPLE_SHAPE, CLASSES);
    }

    /**
     * Trains epochs {@code first..last} (1-based) the way a resumable loop does: epoch e is
     * {@code loader.epoch(e)} from batch {@code skip} for the first epoch, hooks after every step
     * and epoch, the loss checked every step. Returns the step count after the last step.
     */
    public static long train(
            Layer model,
            Optimizer optimizer,
            DataLoader loader,
            int first,
            int skip,
            int last,
            long step,
            int stopAfterBatches,
            Backend backend) {
        return train(model, optimizer, loader, first, skip, last, step, stopAfterBatches, backend, () -> {});
    }

    /** As {@link #train(Layer, Optimizer, DataLoader, int, int, int, long, int, Backend)}, running {@code afterStep} after each optimizer step (a learning-rate scheduler's step). */
    @SuppressWarnings("try") // the scope is held for what it frees
    public static long train(
            Layer model,
            Optimizer optimizer,
            DataLoader loader,
            int first,
            int skip,
            int last,
            long step,
            int stopAfterBatches,
            Backend backend,
            Runnable afterStep) {
        CrossEntropyLoss criterion = new CrossEntropyLoss();
        long current = step;
        for (int epoch = first; epoch <= last; epoch++) {
            model.train();
            int done = 0;
            for (Batch batch : loader.epoch(epoch, epoch == first ? skip : 0)) {
                if (epoch == last && stopAfterBatches >= 0 && done == stopAfterBatches) {
                    return current;
                }
                try (MemoryScope scope = backend.newScope()) {
                    current++;
                    Tensor x = batch.features(backend);
                    optimizer.zeroGrad();
                    Tensor loss = criterion.forward(model.forward(x), batch.labels());
                    Divergence.check(loss.item(), current, model, x);
                    loss.backward();
                    optimizer.step();
                    afterStep.run();
                    TrainingHooks.afterStep(model);
                }
                done++;
            }
            TrainingHooks.afterEpoch(model);
        }
        return current;
    }

    /**
     * Trains a model of {@code build} (given a seed, on {@code cpu}) for two epochs with Adam in one go, and again
     * for one epoch, checkpointed to {@code file}, restored and trained one more; asserts that the
     * weights and the optimizer state of the two runs are the same bytes, and that training changed
     * the weights.
     */
    public static void assertAdamTrainingResumesBitForBit(Backend cpu, LongFunction<Sequential> build, Path file)
            throws IOException {
        Dataset data = data(64, 5);
        long shuffle = 99;
        Sequential straight = build.apply(1);
        Optimizer straightOptimizer = new Adam(straight.parameters(), 0.01);
        long straightSteps =
                train(straight, straightOptimizer, new DataLoader(data, 8, true, shuffle, true), 1, 0, 2, 0, -1, cpu);

        Sequential first = build.apply(1);
        Optimizer firstOptimizer = new Adam(first.parameters(), 0.01);
        long steps = train(first, firstOptimizer, new DataLoader(data, 8, true, shuffle, true), 1, 0, 1, 0, -1, cpu);
        Checkpoint.save(file, first, firstOptimizer, TrainingProgress.afterEpoch(1, steps, shuffle), Map.of());
        Checkpoint checkpoint = Checkpoint.read(file);
        Layer resumed = checkpoint.buildModel(cpu);
        Optimizer resumedOptimizer = checkpoint.buildOptimizer(resumed);
        long resumedSteps =
                train(resumed, resumedOptimizer, new DataLoader(data, 8, true, shuffle, true), 2, 0, 2, steps, -1, cpu);

        assertEquals(straightSteps, resumedSteps);
        TrainingProgress same = new TrainingProgress(0, 0, 0, 0);
        assertArrayEquals(ModelFile.toBytes(straight), ModelFile.toBytes(resumed), "weights");
        assertArrayEquals(
                Checkpoint.toBytes(straight, straightOptimizer, same, Map.of()),
                Checkpoint.toBytes(resumed, resumedOptimizer, same, Map.of()),
                "optimizer state");
        assertFalse(
                Arrays.equals(ModelFile.toBytes(straight), ModelFile.toBytes(build.apply(1))),
                "training changed the weights");
    }

    /**
     * Saves a model of {@code build} (seed 1) to {@code file}, loads it back and restores it into a
     * model built with another seed; asserts that both give the saved model's outputs to the bit on
     * an image batch and that the loaded model writes the same bytes. Returns the saved model.
     */
    public static Sequential assertSavesLoadsAndRestores(LongFunction<Sequential> build, Path file) throws IOException {
        Sequential model = build.apply(1);
        model.save(file);
        Sequential loaded = Sequential.load(file);
        assertEquals(model.toString(), loaded.toString());
        Sequential restored = build.apply(50);
        ModelFile.loadInto(restored, file);
        Backend backend = model.parameters().get(0).backend();
        Tensor x = Tensor.constant(backend.upload(Tensors.uniform(2, 4 * FEATURES, -2, 2), 4, FEATURES), 4, 1, 3, 4);
        float[] expected = model.forward(x).toArray();
        assertArrayEquals(expected, loaded.forward(x).toArray(), 0f, "built from the file");
        assertArrayEquals(expected, restored.forward(x).toArray(), 0f, "restored into a model built in code");
        assertArrayEquals(ModelFile.toBytes(model), ModelFile.toBytes(loaded));
        return model;
    }
}
