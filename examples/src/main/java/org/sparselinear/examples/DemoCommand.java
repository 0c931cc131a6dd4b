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
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;

/**
 * The reference notebook's MNIST experiment: a dense network and the same network with 90 %
 * sparse linear layers, trained with SGD (momentum 0.9; learning rate 0.01 dense, 0.1 sparse,
 * batch 64), each evaluated on the whole test set after every epoch; then a comparison table.
 */
@Command(
        name = "demo",
        mixinStandardHelpOptions = true,
        description = {
            "Reproduce the reference notebook's MNIST experiment, dense against 90 %% sparse, on the shipped data.",
            "Flatten, Linear 784->2000, LayerNorm, ReLU, Linear 2000->10, dense (SGD lr 0.01) and with "
                    + "SparseLinear at 90 %% sparsity (lr 0.1); momentum 0.9, batch 64; then a comparison table."
        })
final class DemoCommand implements Callable<Integer> {

    @ParentCommand
    SparseLinearCli cli;

    @Spec
    CommandSpec spec;

    @Mixin
    RunOptions run;

    @Option(
            names = "--bf16",
            description = "After training, also evaluate the sparse model with its weights compressed to bfloat16 "
                    + "(compressForInference) and print its test accuracy beside the float32 one.")
    boolean bf16;

    @Override
    public Integer call() throws IOException {
        run.validate();
        Path folder = run.dataFolder();
        PrintWriter out = spec.commandLine().getOut();
        Backend backend = Backends.get();
        out.println("backend: " + backend.name() + " (" + backend.description() + ")");
        MnistData data = MnistData.load(folder, run.limit);
        out.printf(
                Locale.ROOT,
                "data: %s (%d training, %d test samples)%n",
                folder,
                data.train().size(),
                data.test().size());
        List<Summary> rows = new ArrayList<>();
        for (ModelKind kind : ModelKind.values()) {
            RunConfig config = RunConfig.notebook(kind, run.epochs, run.seed).withLimit(run.limit);
            MnistRun mnist = new MnistRun(config, data, backend);
            out.printf(
                    Locale.ROOT,
                    "%n%s model, %,d parameters, SGD lr %s momentum %s, batch %d%n",
                    kind,
                    mnist.parameterCount(),
                    config.learningRate(),
                    config.momentum(),
                    config.batchSize());
            out.println(mnist.model());
            out.flush();
            List<EpochStats> epochs = mnist.fit(cli.progress(), cli.time(), EpochStats.printer(out, config.epochs()));
            rows.add(new Summary(kind, mnist.parameterCount(), epochs));
            if (bf16 && kind == ModelKind.sparse) {
                out.print(Bf16Check.compare(mnist.model(), data.test(), backend));
            }
            mnist.close();
        }
        out.println();
        out.print(table(rows));
        out.flush();
        return 0;
    }

    /** One model's line of the comparison table. */
    record Summary(ModelKind model, long parameters, List<EpochStats> epochs) {

        double finalTestAccuracy() {
            return epochs.get(epochs.size() - 1).test().accuracy();
        }

        double secondsPerEpoch() {
            return epochs.stream()
                    .mapToDouble(e -> e.train().seconds())
                    .average()
                    .orElse(Double.NaN);
        }
    }

    /** The comparison table: parameters, final test accuracy, training seconds per epoch, and the parameter ratio. */
    static String table(List<Summary> rows) {
        StringBuilder table = new StringBuilder();
        table.append(
                String.format(Locale.ROOT, "%-8s %12s %12s %10s%n", "model", "parameters", "test acc %", "s/epoch"));
        Summary dense = null;
        Summary sparse = null;
        for (Summary row : rows) {
            table.append(String.format(
                    Locale.ROOT,
                    "%-8s %,12d %12.2f %10.1f%n",
                    row.model(),
                    row.parameters(),
                    row.finalTestAccuracy(),
                    row.secondsPerEpoch()));
            if (row.model() == ModelKind.dense) {
                dense = row;
            } else {
                sparse = row;
            }
        }
        if (dense != null && sparse != null && dense.parameters() > 0) {
            double ratio = (double) sparse.parameters() / dense.parameters();
            table.append(String.format(
                    Locale.ROOT, "sparse/dense parameters: %.4f (%.1f %% fewer)%n", ratio, 100 * (1 - ratio)));
            double speed = dense.secondsPerEpoch() / sparse.secondsPerEpoch();
            if (Double.isFinite(speed) && speed > 0) {
                table.append(String.format(Locale.ROOT, "dense/sparse seconds per epoch: %.2f%n", speed));
            }
        }
        return table.toString();
    }
}
