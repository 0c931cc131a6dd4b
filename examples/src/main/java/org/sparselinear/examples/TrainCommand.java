package org.sparselinear.examples;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
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
 * Trains one MNIST model with chosen settings and writes a JSON record of the run (config,
 * backend, per-epoch losses, accuracies and times). The record is rewritten after every epoch,
 * each time to a temporary file renamed over the target, so it is never half written.
 */
@Command(name = "train", mixinStandardHelpOptions = true,
        description = {"Train the notebook's MNIST network (dense or sparse) with chosen settings and "
                + "write a JSON record of the run."})
final class TrainCommand implements Callable<Integer> {

    /** Format tag of the run record. */
    static final String FORMAT = "sparselinear-train-run/1";

    private static final DateTimeFormatter STAMP = DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss", Locale.ROOT)
            .withZone(ZoneOffset.UTC);

    @ParentCommand
    SparseLinearCli cli;

    @Spec
    CommandSpec spec;

    @Mixin
    RunOptions run;

    @Option(names = "--model", paramLabel = "dense|sparse", defaultValue = "sparse",
            description = "Which network (default: ${DEFAULT-VALUE}).")
    ModelKind model;

    @Option(names = "--sparsity", paramLabel = "S",
            description = "Fraction of missing connections of the sparse layers, in [0, 1) (default: 0.9).")
    Double sparsity;

    @Option(names = "--hidden", paramLabel = "H", defaultValue = "2000",
            description = "Width of the hidden layer (default: ${DEFAULT-VALUE}).")
    int hidden;

    @Option(names = "--lr", paramLabel = "X",
            description = "SGD learning rate (default: 0.01 dense, 0.1 sparse).")
    Double learningRate;

    @Option(names = "--momentum", paramLabel = "M", defaultValue = "0.9",
            description = "SGD momentum, in [0, 1) (default: ${DEFAULT-VALUE}).")
    double momentum;

    @Option(names = "--batch", paramLabel = "B", defaultValue = "64",
            description = "Training batch size (default: ${DEFAULT-VALUE}).")
    int batchSize;

    @Option(names = "--out", paramLabel = "FILE",
            description = "Where to write the JSON record (default: runs/train-MODEL-TIMESTAMP.json).")
    Path out;

    @Override
    public Integer call() throws IOException {
        RunConfig config = config();
        Path folder = run.dataFolder();
        Instant started = cli.time().now();
        Path target = out != null ? out : defaultOutput(model, started);
        if (Files.isDirectory(target)) {
            throw run.fail("--out " + target + " is a folder; give a file name");
        }
        PrintWriter console = spec.commandLine().getOut();
        if (model == ModelKind.dense && sparsity != null) {
            console.println("note: --sparsity applies to the sparse model only; ignored for the dense one");
        }
        Backend backend = Backends.get();
        MnistData data = MnistData.load(folder, config.limit());
        MnistRun mnist = new MnistRun(config, data, backend);
        console.printf(Locale.ROOT, "%s model, %,d parameters, backend %s; %d training, %d test samples%n", model,
                mnist.parameterCount(), backend.name(), data.train().size(), data.test().size());
        console.flush();

        List<EpochStats> history = new ArrayList<>();
        Map<String, Object> record = new LinkedHashMap<>();
        record.put("format", FORMAT);
        record.put("status", "running");
        record.put("started", started.toString());
        record.put("config", config.toJson());
        Map<String, Object> dataJson = new LinkedHashMap<>();
        dataJson.put("folder", folder.toAbsolutePath().normalize().toString());
        dataJson.put("train_samples", data.train().size());
        dataJson.put("test_samples", data.test().size());
        dataJson.put("classes", data.train().classes());
        record.put("data", dataJson);
        Map<String, Object> backendJson = new LinkedHashMap<>();
        backendJson.put("name", backend.name());
        backendJson.put("description", backend.description());
        record.put("backend", backendJson);
        record.put("java", System.getProperty("java.version"));
        record.put("parameters", mnist.parameterCount());
        record.put("epochs", List.of());

        try {
            mnist.fit(cli.progress(), cli.time(), stats -> {
                history.add(stats);
                console.println(stats.format(config.epochs()));
                console.flush();
                write(target, record, history, "running");
            });
        } catch (TrainingException e) {
            record.put("error", e.getMessage());
            write(target, record, history, "failed");
            console.println("wrote " + target + " (failed run)");
            throw e;
        }
        write(target, record, history, "complete");
        console.println("wrote " + target);
        console.flush();
        return 0;
    }

    /** {@code runs/train-MODEL-yyyyMMdd-HHmmss.json} (UTC), relative to the working directory. */
    static Path defaultOutput(ModelKind model, Instant started) {
        return Path.of("runs", "train-" + model + "-" + STAMP.format(started) + ".json");
    }

    /** The run's settings, checked; throws a {@link picocli.CommandLine.ParameterException} for the first bad one. */
    RunConfig config() {
        run.validate();
        double s = sparsity != null ? sparsity : 0.9;
        if (!(s >= 0 && s < 1)) {
            throw run.fail("--sparsity must be in [0, 1), got " + s + " (0.9 keeps 10 % of the connections)");
        }
        if (hidden < 1) {
            throw run.fail("--hidden must be at least 1, got " + hidden);
        }
        double lr = learningRate != null ? learningRate : model.defaultLearningRate();
        if (!(lr > 0 && Double.isFinite(lr))) {
            throw run.fail("--lr must be a positive number, got " + lr);
        }
        if (!(momentum >= 0 && momentum < 1)) {
            throw run.fail("--momentum must be in [0, 1), got " + momentum);
        }
        if (batchSize < 1) {
            throw run.fail("--batch must be at least 1, got " + batchSize);
        }
        return new RunConfig(model, s, hidden, run.epochs, lr, momentum, batchSize, run.seed, run.limit);
    }

    /** Writes the record with {@code status} running, complete or failed. */
    private static void write(Path target, Map<String, Object> record, List<EpochStats> history, String status) {
        record.put("status", status);
        List<Object> epochs = new ArrayList<>();
        double seconds = 0;
        for (EpochStats stats : history) {
            epochs.add(stats.toJson());
            seconds += stats.train().seconds() + stats.test().seconds();
        }
        record.put("epochs", epochs);
        if (!history.isEmpty()) {
            EpochStats last = history.get(history.size() - 1);
            record.put("final_test_accuracy", last.test().accuracy());
            record.put("final_test_loss", last.test().loss());
        }
        record.put("total_seconds", seconds);
        try {
            AtomicFiles.writeString(target, Json.write(record) + "\n");
        } catch (IOException e) {
            throw new java.io.UncheckedIOException("cannot write the run record " + target, e);
        }
    }
}
