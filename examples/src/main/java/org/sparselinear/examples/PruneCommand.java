package org.sparselinear.examples;

import java.io.IOException;
import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import org.sparselinear.api.Backend;
import org.sparselinear.api.Backends;
import org.sparselinear.api.Layer;
import org.sparselinear.data.DataLoader;
import org.sparselinear.data.Dataset;
import org.sparselinear.io.Checkpoint;
import org.sparselinear.nn.GradualMagnitudePruning;
import org.sparselinear.nn.Parameters;
import org.sparselinear.nn.PruningSchedule;
import org.sparselinear.nn.Sequential;
import org.sparselinear.nn.TrainingProgress;
import org.sparselinear.nn.loss.CrossEntropyLoss;
import org.sparselinear.nn.optim.Optimizer;
import org.sparselinear.nn.train.Trainer;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;

/**
 * Dense to sparse on the demo's MNIST network: trains the dense model, then for each target
 * sparsity prunes a copy of it gradually while fine-tuning (Zhu and Gupta's cubic schedule,
 * {@link GradualMagnitudePruning}) into real {@code SparseLinear} layers, and compares test
 * accuracy and parameters with the dense model and with the demo's sparse model trained from
 * scratch at the same sparsity for the same total number of epochs.
 *
 * <p>Every model trains through the layers module's {@link Trainer} (as {@link CliTraining} sets it
 * up): the fine-tuning continues the dense model's run, with the trainer pruning after every step.
 */
@Command(
        name = "prune",
        mixinStandardHelpOptions = true,
        description = {
            "Train the demo's dense MNIST network, prune it gradually to each sparsity while fine-tuning, and "
                    + "compare with the dense model and with the sparse model trained from scratch.",
            "Pruning follows Zhu and Gupta's cubic schedule from 0 to the target sparsity over the first half of "
                    + "the fine-tuning steps; the pruned layers become real SparseLinear layers."
        })
final class PruneCommand implements Callable<Integer> {

    @ParentCommand
    SparseLinearCli cli;

    @Spec
    CommandSpec spec;

    @Mixin
    RunOptions run;

    @Option(
            names = "--sparsity",
            paramLabel = "S",
            split = ",",
            defaultValue = "0.9,0.98",
            description = "Target sparsities, comma-separated, each in (0, 1) (default: ${DEFAULT-VALUE}).")
    List<Double> sparsities;

    @Option(
            names = "--fine-tune-epochs",
            paramLabel = "N",
            defaultValue = "2",
            description = "Epochs of fine-tuning while and after pruning (default: ${DEFAULT-VALUE}).")
    int fineTuneEpochs;

    @Option(
            names = "--prune-every",
            paramLabel = "STEPS",
            defaultValue = "10",
            description = "Optimizer steps between pruning steps (default: ${DEFAULT-VALUE}).")
    int pruneEvery;

    @Option(
            names = "--fine-tune-lr",
            paramLabel = "LR",
            defaultValue = "0.03",
            description = "SGD learning rate while pruning and fine-tuning (default: ${DEFAULT-VALUE}, three times the "
                    + "dense model's, which recovers from pruning faster; the momentum carries over).")
    double fineTuneLearningRate;

    @Option(
            names = "--hidden",
            paramLabel = "N",
            defaultValue = "2000",
            description = "Hidden units of the network (default: ${DEFAULT-VALUE}, the demo's).")
    int hidden;

    @Override
    public Integer call() throws IOException {
        validate();
        PrintWriter out = spec.commandLine().getOut();
        Backend backend = Backends.get();
        MnistData data = MnistData.load(run.dataFolder(), run.limit);
        out.printf(
                Locale.ROOT,
                "backend: %s; data: %d training, %d test samples%n",
                backend.name(),
                data.train().size(),
                data.test().size());
        RunConfig denseConfig = config(ModelKind.dense, 0, run.epochs);
        MnistRun.requireBatch(denseConfig.batchSize(), data.train());
        DataLoader train = new DataLoader(data.train(), denseConfig.batchSize(), true, run.seed, true);
        if ((long) fineTuneEpochs * train.size() < 2) {
            throw new TrainingException("fine-tuning takes " + fineTuneEpochs * train.size() + " optimizer step, too "
                    + "few to prune gradually (at least 2); give more --fine-tune-epochs or more data (--limit)");
        }
        List<Row> rows = new ArrayList<>();
        byte[] trainedDense;
        Layer dense = MnistRun.buildModel(
                denseConfig, data.train().featureCount(), data.train().classes(), backend);
        try (Optimizer optimizer = denseConfig.optimizer().create(dense.parameters(), denseConfig)) {
            out.printf(Locale.ROOT, "%ndense model, %d epochs, SGD lr %s%n", run.epochs, denseConfig.learningRate());
            List<EpochStats> epochs = CliTraining.fit(
                    dense,
                    optimizer,
                    new CrossEntropyLoss(),
                    train,
                    data.test(),
                    run.epochs,
                    null,
                    cli.progress(),
                    cli.time(),
                    EpochStats.printer(out, run.epochs));
            rows.add(new Row("dense", run.epochs, Parameters.count(dense.parameters()), lastAccuracy(epochs)));
            trainedDense = Checkpoint.toBytes(
                    dense,
                    optimizer,
                    TrainingProgress.afterEpoch(run.epochs, (long) run.epochs * train.size(), train.seed()),
                    Map.of());
        } finally {
            dense.close();
        }
        int total = run.epochs + fineTuneEpochs;
        for (double sparsity : sparsities) {
            rows.add(pruned(trainedDense, sparsity, backend, train, data.test(), out));
            RunConfig scratch = config(ModelKind.sparse, sparsity, total);
            try (MnistRun fromScratch = new MnistRun(scratch, data, backend)) {
                out.printf(
                        Locale.ROOT,
                        "%nsparse %s from scratch, %d epochs, SGD lr %s%n",
                        percent(sparsity),
                        total,
                        scratch.learningRate());
                List<EpochStats> epochs = fromScratch.fit(cli.progress(), cli.time(), EpochStats.printer(out, total));
                rows.add(new Row(
                        "sparse " + percent(sparsity) + " from scratch",
                        total,
                        fromScratch.parameterCount(),
                        lastAccuracy(epochs)));
            }
        }
        out.println();
        out.print(table(rows));
        out.flush();
        return 0;
    }

    /**
     * The trained dense model, restored from {@code trainedDense}, pruned to {@code sparsity} while
     * fine-tuned: the dense run goes on through the CLI's {@link Trainer}
     * (its epochs and shuffling continue), which prunes after every step and swaps the optimizer.
     */
    private Row pruned(
            byte[] trainedDense, double sparsity, Backend backend, DataLoader train, Dataset test, PrintWriter out)
            throws IOException {
        Checkpoint checkpoint = Checkpoint.read(trainedDense, "the trained dense model");
        TrainingProgress dense = checkpoint.progress();
        long steps = (long) fineTuneEpochs * train.size();
        long end = Math.max(2, (steps + 1) / 2);
        // the schedule counts the run's steps, which go on from the dense model's
        PruningSchedule schedule = PruningSchedule.cubic(0, sparsity, dense.step() + 1, dense.step() + end, pruneEvery);
        out.printf(
                Locale.ROOT,
                "%npruning the dense model to %s while fine-tuning %d epochs (SGD lr %s; steps go on from the dense "
                        + "model's %d): %s%n",
                percent(sparsity),
                fineTuneEpochs,
                fineTuneLearningRate,
                dense.step(),
                schedule);
        Sequential model = (Sequential) checkpoint.buildModel(backend);
        Optimizer optimizer = checkpoint.buildOptimizer(model);
        optimizer.setLearningRate(fineTuneLearningRate);
        int total = run.epochs + fineTuneEpochs;
        double[] accuracy = {Double.NaN};
        Trainer trainer = null;
        try {
            trainer = CliTraining.builder(
                            model,
                            optimizer,
                            new CrossEntropyLoss(),
                            test,
                            total,
                            dense,
                            cli.progress(),
                            cli.time(),
                            stats -> {
                                accuracy[0] = stats.test().accuracy();
                                out.printf(
                                        Locale.ROOT,
                                        "fine-tune %d/%d: sparsity %.4f, test loss %.4f, test accuracy %.2f %%%n",
                                        stats.epoch() - run.epochs,
                                        fineTuneEpochs,
                                        schedule.sparsityAt(
                                                dense.step() + (long) (stats.epoch() - run.epochs) * train.size()),
                                        stats.test().loss(),
                                        stats.test().accuracy());
                                out.flush();
                            })
                    .pruning(schedule)
                    .build();
            CliTraining.fit(trainer, train, total);
            out.println(model);
            return new Row("pruned to " + percent(sparsity), total, Parameters.count(model.parameters()), accuracy[0]);
        } finally {
            (trainer != null ? trainer.optimizer() : optimizer).close();
            model.close();
        }
    }

    /** The demo's settings for {@code model} (learning rate, momentum, batch) with this command's sizes. */
    private RunConfig config(ModelKind model, double sparsity, int epochs) {
        RunConfig notebook = RunConfig.notebook(model, epochs, run.seed);
        return new RunConfig(
                model,
                sparsity,
                hidden,
                epochs,
                notebook.learningRate(),
                notebook.momentum(),
                notebook.batchSize(),
                run.seed,
                run.limit,
                notebook.optimizer());
    }

    private void validate() {
        run.validate();
        if (fineTuneEpochs < 1) {
            throw run.fail("--fine-tune-epochs must be at least 1, got " + fineTuneEpochs);
        }
        RunOptions.requireLearningRate(spec.commandLine(), "--fine-tune-lr", fineTuneLearningRate);
        if (hidden < 1) {
            throw run.fail("--hidden must be at least 1, got " + hidden);
        }
        if (pruneEvery < 1) {
            throw run.fail("--prune-every must be at least 1 step, got " + pruneEvery);
        }
        for (double sparsity : sparsities) {
            if (!(sparsity > 0 && sparsity < 1)) {
                throw run.fail(
                        "--sparsity values must be in (0, 1), e.g. 0.9 to keep 10 % of the weights, got " + sparsity);
            }
        }
    }

    private static double lastAccuracy(List<EpochStats> epochs) {
        return epochs.get(epochs.size() - 1).test().accuracy();
    }

    private static String percent(double sparsity) {
        return String.format(Locale.ROOT, "%s %%", 100 * sparsity).replace(".0 %", " %");
    }

    /** One line of the comparison: a model, its total epochs, its parameters and its final test accuracy. */
    record Row(String model, int epochs, long parameters, double testAccuracy) {}

    /** The comparison table; parameters also as a fraction of the dense model's (the first row). */
    static String table(List<Row> rows) {
        StringBuilder table = new StringBuilder(String.format(
                Locale.ROOT, "%-28s %6s %12s %10s %12s%n", "model", "epochs", "parameters", "of dense", "test acc %"));
        long dense = rows.get(0).parameters();
        for (Row row : rows) {
            table.append(String.format(
                    Locale.ROOT,
                    "%-28s %6d %,12d %9.2f%% %12.2f%n",
                    row.model(),
                    row.epochs(),
                    row.parameters(),
                    100.0 * row.parameters() / dense,
                    row.testAccuracy()));
        }
        return table.toString();
    }
}
