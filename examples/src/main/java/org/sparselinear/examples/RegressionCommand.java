package org.sparselinear.examples;

import java.io.PrintWriter;
import java.util.Locale;
import java.util.Objects;
import java.util.Random;
import java.util.concurrent.Callable;
import org.sparselinear.api.Backend;
import org.sparselinear.api.Backends;
import org.sparselinear.api.Layer;
import org.sparselinear.api.MemoryScope;
import org.sparselinear.api.Tensor;
import org.sparselinear.nn.Divergence;
import org.sparselinear.nn.Init;
import org.sparselinear.nn.Linear;
import org.sparselinear.nn.Parameters;
import org.sparselinear.nn.ReLU;
import org.sparselinear.nn.Sequential;
import org.sparselinear.nn.SparseLinear;
import org.sparselinear.nn.loss.MSELoss;
import org.sparselinear.nn.optim.Optimizer;
import org.sparselinear.nn.optim.SGD;
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
        Tensor x = Tensor.constant(backend.upload(gaussian(random, BATCH * INPUTS), BATCH, INPUTS));
        Tensor y = Tensor.constant(backend.upload(gaussian(random, BATCH * OUTPUTS), BATCH, OUTPUTS));
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

        float firstDense = Float.NaN;
        float firstSparse = Float.NaN;
        float lastDense = Float.NaN;
        float lastSparse = Float.NaN;
        for (int t = 0; t < steps; t++) {
            lastDense = step(backend, dense, denseOptimizer, criterion, x, y);
            lastSparse = step(backend, sparse, sparseOptimizer, criterion, x, y);
            if (t == 0) {
                firstDense = lastDense;
                firstSparse = lastSparse;
            }
            if (t % every == every - 1 || t == 0) {
                out.printf(
                        Locale.ROOT,
                        "step %4d  dense model loss: %.3f; sparse model loss: %.3f%n",
                        t + 1,
                        lastDense,
                        lastSparse);
                out.flush();
            }
        }
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

    /** One SGD step inside its own memory scope; returns the loss before the update. */
    @SuppressWarnings("try") // the scopes are used for what they free on close
    private static float step(
            Backend backend, Layer model, Optimizer optimizer, MSELoss criterion, Tensor x, Tensor y) {
        try (MemoryScope scope = backend.newScope()) {
            Tensor loss = criterion.forward(model.forward(x), y);
            float value = loss.item();
            if (!Float.isFinite(value)) {
                throw new TrainingException("the regression loss became " + value + "; the first non-finite output is "
                        + Objects.requireNonNullElse(
                                Divergence.firstNonFiniteLayer(model, x), "none (the loss overflowed)")
                        + ": lower the learning rate");
            }
            optimizer.zeroGrad();
            loss.backward();
            optimizer.step();
            return value;
        }
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
