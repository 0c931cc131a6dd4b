package org.sparselinear.examples;

import java.io.PrintWriter;
import java.util.Arrays;
import java.util.Locale;
import java.util.Random;
import java.util.concurrent.Callable;
import org.sparselinear.api.Backend;
import org.sparselinear.api.Backends;
import org.sparselinear.api.Layer;
import org.sparselinear.data.DataLoader;
import org.sparselinear.data.Dataset;
import org.sparselinear.nn.Init;
import org.sparselinear.nn.Linear;
import org.sparselinear.nn.Parameters;
import org.sparselinear.nn.ReLU;
import org.sparselinear.nn.Sequential;
import org.sparselinear.nn.SparseLinear;
import org.sparselinear.nn.TrainingDivergedException;
import org.sparselinear.nn.loss.MSELoss;
import org.sparselinear.nn.optim.Optimizer;
import org.sparselinear.nn.optim.SGD;
import org.sparselinear.nn.train.StepResult;
import org.sparselinear.nn.train.Trainer;
import org.sparselinear.nn.train.TrainingListener;
import org.sparselinear.nn.train.TrainingRun;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/**
 * The reference notebook's "training with random inputs": a dense and a sparse two-layer
 * network fitted to one fixed random batch with a summed squared error and plain SGD.
 */
@Command(
        name = "regression",
        mixinStandardHelpOptions = true,
        description = {
            "Fit random data with a dense and a sparse network, as the reference notebook does.",
            "x (64, 200) and y (64, 10) drawn from N(0, 1); Linear 200->1000, ReLU, Linear 1000->10 against the "
                    + "same with SparseLinear (90 %% sparse); summed squared error, plain SGD (lr 1e-4 dense, "
                    + "1e-3 sparse); prints both losses every 100 steps."
        })
final class RegressionCommand implements Callable<Integer> {

    static final int BATCH = 64;
    static final int INPUTS = 200;
    static final int HIDDEN = 1000;
    static final int OUTPUTS = 10;

    @Spec
    CommandSpec spec;

    @Option(
            names = "--steps",
            paramLabel = "N",
            defaultValue = "500",
            description = "Gradient steps (default: ${DEFAULT-VALUE}).")
    int steps;

    @Option(
            names = "--every",
            paramLabel = "N",
            defaultValue = "100",
            description = "Print both losses every N steps (default: ${DEFAULT-VALUE}).")
    int every;

    @Option(
            names = "--lr-dense",
            paramLabel = "X",
            defaultValue = "1e-4",
            description = "Learning rate of the dense model (default: ${DEFAULT-VALUE}).")
    double lrDense;

    @Option(
            names = "--lr-sparse",
            paramLabel = "X",
            defaultValue = "1e-3",
            description = "Learning rate of the sparse model (default: ${DEFAULT-VALUE}).")
    double lrSparse;

    @Option(
            names = "--seed",
            paramLabel = "K",
            defaultValue = "0",
            description = "Seed of the data, the weights and the connections (default: ${DEFAULT-VALUE}).")
    long seed;

    @Override
    public Integer call() {
        if (steps < 2) {
            throw new ParameterException(
                    spec.commandLine(),
                    "--steps must be at least 2 (the command compares the loss of the first and the last step), got "
                            + steps);
        }
        if (every < 1) {
            throw new ParameterException(spec.commandLine(), "--every must be at least 1, got " + every);
        }
        RunOptions.requireLearningRate(spec.commandLine(), "--lr-dense", lrDense);
        RunOptions.requireLearningRate(spec.commandLine(), "--lr-sparse", lrSparse);
        PrintWriter out = spec.commandLine().getOut();
        Backend backend = Backends.get();
        out.println("backend: " + backend.name() + " (" + backend.description() + ")");

        // Created outside any scope: they live for the whole run.
        Random random = new Random(seed);
        Dataset data = Dataset.of(
                rows(gaussian(random, BATCH * INPUTS), INPUTS), rows(gaussian(random, BATCH * OUTPUTS), OUTPUTS));
        Init.manualSeed(seed);
        Layer dense = new Sequential(new Linear(INPUTS, HIDDEN), new ReLU(), new Linear(HIDDEN, OUTPUTS));
        Layer sparse = new Sequential(new SparseLinear(INPUTS, HIDDEN), new ReLU(), new SparseLinear(HIDDEN, OUTPUTS));
        Optimizer denseOptimizer = new SGD(dense.parameters(), lrDense);
        Optimizer sparseOptimizer = new SGD(sparse.parameters(), lrSparse);
        MSELoss criterion = new MSELoss(MSELoss.Reduction.SUM);
        out.printf(
                Locale.ROOT,
                "dense %,d parameters, sparse %,d parameters%n",
                Parameters.count(dense.parameters()),
                Parameters.count(sparse.parameters()));

        float[] denseLosses = losses("dense", dense, denseOptimizer, criterion, data);
        float[] sparseLosses = losses("sparse", sparse, sparseOptimizer, criterion, data);
        for (int t = 0; t < steps; t++) {
            if (t % every == every - 1 || t == 0) {
                out.printf(
                        Locale.ROOT,
                        "step %4d  dense model loss: %.3f; sparse model loss: %.3f%n",
                        t + 1,
                        denseLosses[t],
                        sparseLosses[t]);
            }
        }
        out.flush();
        float firstDense = denseLosses[0];
        float firstSparse = sparseLosses[0];
        float lastDense = denseLosses[steps - 1];
        float lastSparse = sparseLosses[steps - 1];
        boolean denseFell = lastDense < firstDense;
        boolean sparseFell = lastSparse < firstSparse;
        out.printf(
                Locale.ROOT,
                "over %d steps the dense loss fell %s and the sparse loss fell %s%n",
                steps,
                describeFall(firstDense, lastDense),
                describeFall(firstSparse, lastSparse));
        if (!denseFell || !sparseFell) {
            out.println("warning: a loss did not fall; try a smaller learning rate");
            out.flush();
            return 1;
        }
        out.flush();
        return 0;
    }

    /**
     * Trains {@code model} with the layers' trainer, one full-batch step per epoch for {@code steps}
     * epochs, in the data's order; returns the loss of every step, before its update.
     */
    private float[] losses(String name, Layer model, Optimizer optimizer, MSELoss criterion, Dataset data) {
        float[] losses = new float[steps];
        TrainingListener record = new TrainingListener() {
            @Override
            public void onStep(TrainingRun run, StepResult step) {
                losses[(int) step.step() - 1] = step.loss();
            }
        };
        try {
            Trainer.builder(model, optimizer, criterion)
                    .epochs(steps)
                    .listeners(record)
                    .build()
                    .fit(new DataLoader(data, BATCH, false, 0L, false));
        } catch (TrainingDivergedException e) {
            throw new TrainingException(
                    "the " + name + " regression model's " + e.getMessage() + ": lower the learning rate", e);
        }
        return losses;
    }

    /** {@code values} as rows of {@code width}. */
    private static float[][] rows(float[] values, int width) {
        float[][] rows = new float[values.length / width][];
        for (int r = 0; r < rows.length; r++) {
            rows[r] = Arrays.copyOfRange(values, r * width, (r + 1) * width);
        }
        return rows;
    }

    static String describeFall(float first, float last) {
        if (!(last < first)) {
            return String.format(Locale.ROOT, "not at all (%.4g to %.4g)", first, last);
        }
        if (last <= 0) {
            return String.format(Locale.ROOT, "from %.4g to 0", first);
        }
        return String.format(Locale.ROOT, "by a factor of %.3g (%.4g to %.3g)", first / last, first, last);
    }

    private static float[] gaussian(Random random, int count) {
        float[] values = new float[count];
        for (int i = 0; i < count; i++) {
            values[i] = (float) random.nextGaussian();
        }
        return values;
    }
}
