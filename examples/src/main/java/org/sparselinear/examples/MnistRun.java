package org.sparselinear.examples;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import org.sparselinear.api.Backend;
import org.sparselinear.api.Layer;
import org.sparselinear.data.DataLoader;
import org.sparselinear.data.Dataset;
import org.sparselinear.io.Checkpoint;
import org.sparselinear.io.ModelFileException;
import org.sparselinear.nn.Flatten;
import org.sparselinear.nn.Init;
import org.sparselinear.nn.LayerNorm;
import org.sparselinear.nn.Linear;
import org.sparselinear.nn.Parameters;
import org.sparselinear.nn.ReLU;
import org.sparselinear.nn.Sequential;
import org.sparselinear.nn.SparseLinear;
import org.sparselinear.nn.TrainingProgress;
import org.sparselinear.nn.loss.CrossEntropyLoss;
import org.sparselinear.nn.optim.Optimizer;
import org.sparselinear.nn.train.Progress;

/**
 * One run of the reference notebook's network: the model, its optimizer (SGD with momentum, or Adam), a
 * shuffled training loader that drops the last partial batch, and a test loader over every
 * test sample. A run can be saved after any epoch ({@link #saveCheckpoint}) and resumed from
 * such a checkpoint ({@link #restore}); the resumed run ends with the same weights, to the bit,
 * as one that was never interrupted (same backend and thread count).
 */
public final class MnistRun implements AutoCloseable {

    /** Batch size of the evaluation passes (it changes nothing but speed). */
    public static final int TEST_BATCH = 500;

    private final RunConfig config;
    private final Backend backend;
    private final Layer model;
    private final Optimizer optimizer;
    private final DataLoader trainLoader;
    private final Dataset test;
    private int completedEpochs;
    private long completedSteps;

    /** Builds the model (seeded with {@link RunConfig#seed()}), the optimizer and the loaders. */
    public MnistRun(RunConfig config, MnistData data, Backend backend) {
        this(config, data.train(), data.test(), backend);
    }

    /**
     * A run on any classification data: the model's input layer takes {@code train}'s features
     * (dense, or sparse rows fed as a {@code SparseTensor}) and its output layer its classes.
     *
     * @throws UsageException when a training batch is larger than {@code train}
     */
    public MnistRun(RunConfig config, Dataset train, Dataset test, Backend backend) {
        this.config = config;
        this.backend = backend;
        requireBatch(config.batchSize(), train);
        try {
            this.model = buildModel(config, train.featureCount(), train.classes(), backend);
        } catch (IllegalArgumentException e) {
            // The layers check their settings (e.g. a sparsity that leaves a layer without connections).
            throw new UsageException(e.getMessage());
        }
        this.optimizer = config.optimizer().create(model.parameters(), config);
        this.trainLoader = new DataLoader(train, config.batchSize(), true, config.seed(), true);
        this.test = test;
    }

    /**
     * Checks that a training batch of {@code batch} samples fits {@code train}.
     *
     * @throws UsageException when it has fewer samples, naming both numbers and what to do
     */
    static void requireBatch(int batch, Dataset train) {
        if (batch > train.size()) {
            throw new UsageException("--batch " + batch + " is larger than the " + train.size()
                    + " training samples, so no full batch could be trained; use --batch " + train.size()
                    + " or less, or a larger --limit");
        }
    }

    /**
     * The notebook's network: Flatten, a linear layer {@code inputs -> hidden}, LayerNorm, ReLU
     * and a linear layer {@code hidden -> classes}; dense {@code Linear} layers or
     * {@code SparseLinear} layers at the configured sparsity. The layers draw their seeds from a
     * sequence started at {@link RunConfig#seed()} ({@link Init#withSeed}), as after
     * {@code Init.manualSeed(seed)}, so the same config gives the same initial model, also when
     * other threads build models at the same time.
     */
    public static Layer buildModel(RunConfig config, int inputs, int classes, Backend backend) {
        return Init.withSeed(config.seed(), () -> {
            int hidden = config.hidden();
            if (config.model() == ModelKind.dense) {
                return new Sequential(
                        new Flatten(),
                        new Linear(inputs, hidden, true, Init.nextSeed(), backend),
                        new LayerNorm(hidden, backend),
                        new ReLU(),
                        new Linear(hidden, classes, true, Init.nextSeed(), backend));
            }
            SparseLinear.Options options =
                    SparseLinear.options().sparsity(config.sparsity()).backend(backend);
            return new Sequential(
                    new Flatten(),
                    new SparseLinear(inputs, hidden, options),
                    new LayerNorm(hidden, backend),
                    new ReLU(),
                    new SparseLinear(hidden, classes, options));
        });
    }

    /** The network. */
    public Layer model() {
        return model;
    }

    /** Number of trainable scalars. */
    public long parameterCount() {
        return Parameters.count(model.parameters());
    }

    /**
     * Trains the epochs not done yet, up to the configured number; {@code onEpoch} sees each epoch
     * as it ends, when {@link #saveCheckpoint} would save the run after it.
     */
    public List<EpochStats> fit(Progress.Factory progress, TimeSource time, Consumer<EpochStats> onEpoch) {
        TrainingProgress resumed = completedEpochs > 0
                ? TrainingProgress.afterEpoch(completedEpochs, completedSteps, trainLoader.seed())
                : null;
        int stepsPerEpoch = trainLoader.size();
        return CliTraining.fit(
                model,
                optimizer,
                new CrossEntropyLoss(),
                trainLoader,
                test,
                config.epochs(),
                resumed,
                progress,
                time,
                stats -> {
                    completedSteps += (long) (stats.epoch() - completedEpochs) * stepsPerEpoch;
                    completedEpochs = stats.epoch();
                    onEpoch.accept(stats);
                });
    }

    /** Epochs completed, counting those of a restored checkpoint. */
    public int completedEpochs() {
        return completedEpochs;
    }

    /**
     * Writes a checkpoint of the run as it stands (after {@link #completedEpochs()} epochs)
     * atomically to {@code file}, with {@code extras} (e.g. the run's settings and history).
     */
    public void saveCheckpoint(Path file, Map<String, String> extras) throws IOException {
        Checkpoint.save(
                file,
                model,
                optimizer,
                TrainingProgress.afterEpoch(completedEpochs, completedSteps, trainLoader.seed()),
                extras);
    }

    /**
     * Continues from {@code checkpoint}, which a run with the same config saved at the end of an
     * epoch: model, optimizer state and counts.
     *
     * @throws ModelFileException when the checkpoint does not fit this run's model or optimizer
     * @throws UsageException when it was saved mid-epoch, with another shuffling seed, or has done
     *         all the configured epochs already
     */
    public void restore(Checkpoint checkpoint) throws ModelFileException {
        TrainingProgress progress = checkpoint.progress();
        if (progress.batchesIntoEpoch() != 0) {
            throw new UsageException("the checkpoint was saved " + progress.batchesIntoEpoch() + " batches into epoch "
                    + (progress.completedEpochs() + 1) + "; this command resumes from the end of an epoch only");
        }
        if (progress.shuffleSeed() != trainLoader.seed()) {
            throw new UsageException("the checkpoint's shuffling seed is " + progress.shuffleSeed()
                    + " but this run's is " + trainLoader.seed() + "; resume with the saved --seed");
        }
        if (progress.completedEpochs() >= config.epochs()) {
            throw new UsageException("the checkpoint has completed " + progress.completedEpochs() + " epochs already; "
                    + "ask for more with --epochs N (N > " + progress.completedEpochs() + ")");
        }
        checkpoint.restore(model, optimizer);
        completedEpochs = progress.completedEpochs();
        completedSteps = progress.step();
    }

    /** Frees the model's and the optimizer's device memory; the run cannot be used afterwards. */
    @Override
    public void close() {
        optimizer.close();
        model.close();
    }
}
