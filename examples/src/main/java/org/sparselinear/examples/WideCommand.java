package org.sparselinear.examples;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import org.sparselinear.api.Backend;
import org.sparselinear.api.Backends;
import org.sparselinear.api.Layer;
import org.sparselinear.data.DataLoader;
import org.sparselinear.nn.FeatureAffine;
import org.sparselinear.nn.FixedSparseMap;
import org.sparselinear.nn.Flatten;
import org.sparselinear.nn.Init;
import org.sparselinear.nn.LayerNorm;
import org.sparselinear.nn.Parameters;
import org.sparselinear.nn.ReLU;
import org.sparselinear.nn.Sequential;
import org.sparselinear.nn.SparseLinear;
import org.sparselinear.nn.loss.CrossEntropyLoss;
import org.sparselinear.nn.optim.SGD;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;

/**
 * The reference notebook's "very wide and sparse" model: each image repeated 10 times
 * (7840 features, each pixel's copies side by side), a learnable per-feature scale and shift,
 * {@code SparseLinear} 7840 -> 50,000 and three 50,000 -> 50,000, each followed by LayerNorm and
 * ReLU, a last 50,000 -> 50,000, all at 99.9 %, whose outputs are summed per class (output j
 * counts for class j mod 10); SGD lr 5e-5, momentum 0.9, Nesterov.
 */
@Command(
        name = "wide",
        mixinStandardHelpOptions = true,
        description = {
            "Train the reference notebook's very wide sparse model (five SparseLinear layers up to "
                    + "50,000 x 50,000 at 99.9 %%) on MNIST; report seconds per epoch, peak memory and test accuracy."
        })
final class WideCommand implements Callable<Integer> {

    static final int REPEATS = 10;

    @ParentCommand
    SparseLinearCli cli;

    @Spec
    CommandSpec spec;

    @Mixin
    RunOptions run;

    @Option(
            names = "--width",
            paramLabel = "N",
            defaultValue = "50000",
            description = "Width of the hidden layers (default: ${DEFAULT-VALUE}; a multiple of the classes).")
    int width;

    @Option(
            names = "--sparsity",
            paramLabel = "S",
            defaultValue = "0.999",
            description = "Sparsity of every SparseLinear layer (default: ${DEFAULT-VALUE}).")
    double sparsity;

    @Option(
            names = "--lr",
            paramLabel = "X",
            defaultValue = "5e-5",
            description = "Learning rate (default: ${DEFAULT-VALUE}).")
    double learningRate;

    @Option(
            names = "--batch",
            paramLabel = "B",
            defaultValue = "64",
            description = "Batch size (default: ${DEFAULT-VALUE}).")
    int batch;

    @Override
    public Integer call() throws IOException {
        run.validate();
        validate();
        Path folder = run.dataFolder();
        PrintWriter out = spec.commandLine().getOut();
        Backend backend = Backends.get();
        out.println("backend: " + backend.name() + " (" + backend.description() + ")");
        MnistData data = MnistData.load(folder, run.limit);
        data.requireBatch(batch);
        int classes = data.train().classes();
        if (width % classes != 0) {
            throw run.fail("--width must be a multiple of the " + classes + " classes, got " + width);
        }
        HeapUsage.resetPeak();
        Layer model;
        try {
            model = build(data.train().featureCount(), classes);
        } catch (IllegalArgumentException e) {
            // The layers check their settings (e.g. more connections than int32 indexes) before allocating.
            throw new UsageException(e.getMessage());
        }
        long parameters = Parameters.count(model.parameters());
        out.printf(
                Locale.ROOT,
                "data: %s (%d training, %d test samples)%nmodel, %,d parameters (a dense model of this "
                        + "shape would have %,d):%n%s%n",
                folder,
                data.train().size(),
                data.test().size(),
                parameters,
                denseParameters(data.train().featureCount(), classes),
                model);
        out.flush();
        SGD optimizer = new SGD(model.parameters(), learningRate, 0.9, true, 0);
        DataLoader train = new DataLoader(data.train(), batch, true, run.seed, true);
        List<EpochStats> epochs = CliTraining.fit(
                model,
                optimizer,
                new CrossEntropyLoss(),
                train,
                data.test(),
                run.epochs,
                null,
                cli.progress(),
                cli.time(),
                EpochStats.printer(out, run.epochs));
        EpochStats last = epochs.get(epochs.size() - 1);
        double secondsPerEpoch =
                epochs.stream().mapToDouble(e -> e.train().seconds()).average().orElse(Double.NaN);
        out.printf(
                Locale.ROOT,
                "%nwide model: test accuracy %.2f %%, %.1f s per epoch (%.0f samples/s), peak heap "
                        + "%.0f MiB (sum of pool peaks), %,d parameters%n",
                last.test().accuracy(),
                secondsPerEpoch,
                last.train().samplesPerSecond(),
                HeapUsage.peak() / HeapUsage.MIB,
                parameters);
        out.flush();
        return 0;
    }

    /** The notebook's network for {@code pixels} inputs; seeded from {@code --seed}. */
    Layer build(int pixels, int classes) {
        Init.manualSeed(run.seed);
        int repeated = pixels * REPEATS;
        SparseLinear.Options sparse = SparseLinear.options().sparsity(sparsity);
        List<Layer> layers = new ArrayList<>(
                List.of(new Flatten(), FixedSparseMap.repeatEach(pixels, REPEATS), new FeatureAffine(repeated)));
        int in = repeated;
        for (int hidden = 0; hidden < 4; hidden++) {
            layers.add(new SparseLinear(in, width, sparse));
            layers.add(new LayerNorm(width));
            layers.add(new ReLU());
            in = width;
        }
        layers.add(new SparseLinear(width, width, sparse));
        layers.add(FixedSparseMap.sumGroups(width, classes));
        return new Sequential(layers.toArray(new Layer[0]));
    }

    private long denseParameters(int pixels, int classes) {
        long repeated = (long) pixels * REPEATS;
        return 2 * repeated + (repeated * width + width) + 4L * ((long) width * width + width) + 4L * 2 * width;
    }

    private void validate() {
        if (width < 1 || batch < 1) {
            throw run.fail("--width and --batch must be at least 1, got " + width + " and " + batch);
        }
        if (!(sparsity >= 0 && sparsity < 1)) {
            throw run.fail("--sparsity must be in [0, 1), got " + sparsity);
        }
        RunOptions.requireLearningRate(spec.commandLine(), "--lr", learningRate);
    }
}
