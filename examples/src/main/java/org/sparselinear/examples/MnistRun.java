package org.sparselinear.examples;

import java.util.List;
import java.util.function.Consumer;

import org.sparselinear.api.Backend;
import org.sparselinear.api.Layer;
import org.sparselinear.data.DataLoader;
import org.sparselinear.nn.Flatten;
import org.sparselinear.nn.Init;
import org.sparselinear.nn.LayerNorm;
import org.sparselinear.nn.Linear;
import org.sparselinear.nn.Parameters;
import org.sparselinear.nn.ReLU;
import org.sparselinear.nn.SGD;
import org.sparselinear.nn.Sequential;
import org.sparselinear.nn.SparseLinear;

/**
 * One MNIST run of the reference notebook: the model, an SGD optimizer with momentum, a
 * shuffled training loader that drops the last partial batch, and a test loader over every
 * test sample.
 */
public final class MnistRun {

    /** Batch size of the evaluation passes (it changes nothing but speed). */
    public static final int TEST_BATCH = 500;

    private final RunConfig config;
    private final Backend backend;
    private final Layer model;
    private final SGD optimizer;
    private final DataLoader trainLoader;
    private final DataLoader testLoader;

    /** Builds the model (seeded with {@link RunConfig#seed()}), the optimizer and the loaders. */
    public MnistRun(RunConfig config, MnistData data, Backend backend) {
        this.config = config;
        this.backend = backend;
        try {
            this.model = buildModel(config, data.train().featureCount(), data.train().classes(), backend);
        } catch (IllegalArgumentException e) {
            // The layers check their settings (e.g. a sparsity that leaves a layer without connections).
            throw new UsageException(e.getMessage());
        }
        this.optimizer = new SGD(model.parameters(), config.learningRate(), config.momentum());
        this.trainLoader = new DataLoader(data.train(), config.batchSize(), true, config.seed(), true);
        this.testLoader = new DataLoader(data.test(), TEST_BATCH, false, config.seed(), false);
        if (trainLoader.size() == 0) {
            throw new UsageException("the training set has " + data.train().size() + " samples, fewer than one batch of "
                    + config.batchSize() + "; use a smaller --batch or a larger --limit");
        }
    }

    /**
     * The notebook's network: Flatten, a linear layer {@code inputs -> hidden}, LayerNorm, ReLU
     * and a linear layer {@code hidden -> classes}; dense {@code Linear} layers or
     * {@code SparseLinear} layers at the configured sparsity. Seeds the global sequence with
     * {@link RunConfig#seed()} first, so the same config gives the same initial model.
     */
    public static Layer buildModel(RunConfig config, int inputs, int classes, Backend backend) {
        Init.manualSeed(config.seed());
        int hidden = config.hidden();
        if (config.model() == ModelKind.dense) {
            return new Sequential(new Flatten(), new Linear(inputs, hidden, true, Init.nextSeed(), backend),
                    new LayerNorm(hidden, backend), new ReLU(), new Linear(hidden, classes, true, Init.nextSeed(), backend));
        }
        SparseLinear.Options options = SparseLinear.options().sparsity(config.sparsity()).backend(backend);
        return new Sequential(new Flatten(), new SparseLinear(inputs, hidden, options), new LayerNorm(hidden, backend),
                new ReLU(), new SparseLinear(hidden, classes, options));
    }

    /** The network. */
    public Layer model() {
        return model;
    }

    /** Number of trainable scalars. */
    public long parameterCount() {
        return Parameters.count(model.parameters());
    }

    /** Trains for the configured number of epochs; {@code onEpoch} sees each epoch as it ends. */
    public List<EpochStats> fit(Progress.Factory progress, TimeSource time, Consumer<EpochStats> onEpoch) {
        Trainer trainer = new Trainer(backend, model, optimizer, progress, time);
        return trainer.fit(config.epochs(), trainLoader, testLoader, onEpoch);
    }
}
