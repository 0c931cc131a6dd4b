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
import org.sparselinear.data.DataFormat;
import org.sparselinear.io.Checkpoint;
import org.sparselinear.io.JsonCodec;
import org.sparselinear.io.ModelFileException;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;

/**
 * Trains one MNIST model with chosen settings and writes a JSON record of the run (config,
 * backend, per-epoch losses, accuracies and times). The record is rewritten after every epoch,
 * each time to a temporary file renamed over the target, so it is never half written. With
 * {@code --save FILE} a checkpoint is written after every epoch too; {@code --resume FILE}
 * continues such a run.
 */
@Command(
        name = "train",
        mixinStandardHelpOptions = true,
        description = {
            "Train the notebook's MNIST network (dense or sparse) with chosen settings and "
                    + "write a JSON record of the run."
        })
final class TrainCommand implements Callable<Integer> {

    /** The checkpoint extra that holds the training file's class labels, a JSON list: class {@code c} is entry {@code c}. */
    static final String CLASS_LABELS = "class_labels";

    /**
     * The checkpoint extra that says how a CSV training file was read ({@link FileLayout#csvJson}), so that
     * {@code evaluate} reads a held-out CSV file the same way without the options being given again.
     */
    static final String CSV_LAYOUT = "csv_layout";

    /** Format tag of the run record. */
    static final String FORMAT = "sparselinear-train-run/1";

    private static final DateTimeFormatter STAMP =
            DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss", Locale.ROOT).withZone(ZoneOffset.UTC);

    @ParentCommand
    SparseLinearCli cli;

    @Spec
    CommandSpec spec;

    @Mixin
    RunOptions run;

    @Mixin
    DataFileOptions dataFile;

    @Option(
            names = "--model",
            paramLabel = "dense|sparse",
            defaultValue = "sparse",
            description = "Which network (default: ${DEFAULT-VALUE}).")
    ModelKind model;

    @Option(
            names = "--sparsity",
            paramLabel = "S",
            description = "Fraction of missing connections of the sparse layers, in [0, 1) (default: 0.9).")
    Double sparsity;

    @Option(
            names = "--hidden",
            paramLabel = "H",
            defaultValue = "2000",
            description = "Width of the hidden layer (default: ${DEFAULT-VALUE}).")
    int hidden;

    @Option(
            names = "--optimizer",
            paramLabel = "sgd|adam|adagrad",
            defaultValue = "sgd",
            description = "SGD with momentum (the notebook's), Adam or Adagrad (default: ${DEFAULT-VALUE}).")
    OptimizerKind optimizer;

    @Option(
            names = "--lr",
            paramLabel = "X",
            description = "Learning rate (default: SGD 0.01 dense, 0.1 sparse; Adam 0.001; Adagrad 0.01).")
    Double learningRate;

    @Option(
            names = "--momentum",
            paramLabel = "M",
            defaultValue = "0.9",
            description = "SGD momentum, in [0, 1) (default: ${DEFAULT-VALUE}).")
    double momentum;

    @Option(
            names = "--batch",
            paramLabel = "B",
            defaultValue = "64",
            description = "Training batch size (default: ${DEFAULT-VALUE}).")
    int batchSize;

    @Option(
            names = "--test",
            paramLabel = "FILE",
            description = "Test file for an svmlight or CSV --data file, in the same format, read with the same "
                    + "class numbering; svmlight files are both read at the larger of their widths (a feature only "
                    + "the test file has weighs nothing in the model).")
    Path test;

    @Option(
            names = "--validation-split",
            paramLabel = "F",
            description = "Instead of --test, hold out this fraction of the --data file at random (seeded by --seed) "
                    + "and evaluate on it, e.g. 0.1.")
    Double validationSplit;

    @Option(
            names = "--out",
            paramLabel = "FILE",
            description = "Where to write the JSON record (default: runs/train-MODEL-TIMESTAMP.json).")
    Path out;

    @Option(
            names = "--save",
            paramLabel = "FILE",
            description =
                    "After every epoch write a checkpoint (model, optimizer state, progress; safetensors) to FILE, "
                            + "atomically: a crash or a diverging run keeps the last good one. Inspect it with "
                            + "'sparselinear inspect FILE'; continue it with --resume FILE.")
    Path save;

    @Option(
            names = "--resume",
            paramLabel = "FILE",
            description = "Continue the run saved in FILE by --save, up to --epochs epochs in all, with its settings: "
                    + "other options given must agree with them (except --lr and --data). The result equals an "
                    + "uninterrupted run's, to the bit, on the same backend and thread count.")
    Path resume;

    @Override
    public Integer call() throws IOException {
        RunConfig config = config();
        TrainingData.Request request = dataRequest();
        PrintWriter console = spec.commandLine().getOut();
        Checkpoint checkpoint = null;
        List<EpochStats> history = new ArrayList<>();
        String started = null;
        if (resume != null) {
            checkpoint = readCheckpoint(resume);
            Map<String, String> extras = checkpoint.extras();
            config = resumedConfig(savedConfig(checkpoint, resume), config, console);
            history.addAll(savedHistory(checkpoint, resume));
            started = extras.get("started");
        }
        final RunConfig settings = config;
        Instant now = cli.time().now();
        if (started == null) {
            started = now.toString();
        }
        Path target = out != null ? out : defaultOutput(settings.model(), now, 1);
        if (Files.isDirectory(target)) {
            throw run.fail("--out " + target + " is a folder; give a file name");
        }
        if (save != null
                && (Files.isDirectory(save)
                        || save.toAbsolutePath()
                                .normalize()
                                .equals(target.toAbsolutePath().normalize()))) {
            throw run.fail("--save " + save + " must be a file other than the run record (--out " + target + ")");
        }
        try (RunLocks locks = new RunLocks()) {
            Path record = out != null
                    ? locks.lock("--out", out)
                    : locks.lockNew(n -> defaultOutput(settings.model(), now, n));
            if (save != null) {
                locks.lock("--save", save);
            }
            return train(settings, request, console, checkpoint, history, started, record);
        }
    }

    /** Trains and writes the record to {@code target} and checkpoints to {@link #save}, both locked by this run. */
    private Integer train(
            RunConfig settings,
            TrainingData.Request request,
            PrintWriter console,
            Checkpoint checkpoint,
            List<EpochStats> history,
            String started,
            Path target)
            throws IOException {
        if (settings.model() == ModelKind.dense && sparsity != null) {
            console.println("note: --sparsity applies to the sparse model only; ignored for the dense one");
        }
        if (settings.optimizer() != OptimizerKind.sgd
                && spec.commandLine().getParseResult().hasMatchedOption("--momentum")) {
            console.println("note: --momentum applies to SGD only; ignored for " + settings.optimizer());
        }
        Backend backend = Backends.get();
        TrainingData data = TrainingData.read(request, settings.limit());
        MnistRun mnist = new MnistRun(settings, data.train(), data.test(), backend);
        console.println(data.summary());
        if (data.train().isSparse()
                && settings.optimizer() == OptimizerKind.sgd
                && !spec.commandLine().getParseResult().hasMatchedOption("--optimizer")) {
            console.println("note: the inputs are sparse, and SGD (the default, the notebook's) moves every weight at "
                    + "every step; --optimizer adagrad --lr 0.05 moves only the weights of the features a batch holds "
                    + "and usually trains such data faster and better (the text command's recipe)");
        }
        if (save != null) {
            new DiskSpace().requireRoomForCheckpoint("--save", save, mnist.parameterCount());
        }
        if (checkpoint != null) {
            try {
                mnist.restore(checkpoint);
            } catch (ModelFileException e) {
                throw new UsageException(
                        "--resume " + resume + ": the checkpoint does not fit this run: " + e.getMessage());
            }
            console.printf(
                    Locale.ROOT,
                    "resumed from %s after epoch %d (step %d)%n",
                    resume,
                    checkpoint.progress().completedEpochs(),
                    checkpoint.progress().step());
        }
        console.printf(
                Locale.ROOT,
                "%s model, %,d parameters, backend %s; %,d training, %,d test samples%n",
                settings.model(),
                mnist.parameterCount(),
                backend.name(),
                data.train().size(),
                data.test().size());
        console.flush();

        Map<String, Object> record = new LinkedHashMap<>();
        record.put("format", FORMAT);
        record.put("status", "running");
        record.put("started", started);
        if (resume != null) {
            record.put("resumed_from", resume.toAbsolutePath().normalize().toString());
        }
        record.put("config", settings.toJson());
        Map<String, Object> dataJson = new LinkedHashMap<>();
        dataJson.put("train", data.trainSource());
        dataJson.put("test", data.testSource());
        dataJson.put("features", data.train().featureCount());
        dataJson.put("sparse", data.train().isSparse());
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
        if (save != null) {
            record.put("checkpoint", save.toAbsolutePath().normalize().toString());
        }
        record.put("epochs", List.of());

        String firstStarted = started;
        int[] savedEpoch = {0};
        try {
            mnist.fit(cli.progress(), cli.time(), stats -> {
                history.add(stats);
                console.println(stats.format(settings.epochs()));
                console.flush();
                if (save != null) {
                    saveCheckpoint(mnist, settings, history, firstStarted, data, csvLayout(request));
                    savedEpoch[0] = stats.epoch();
                }
                write(target, record, history, "running");
            });
        } catch (TrainingException e) {
            String message = e.getMessage();
            if (savedEpoch[0] > 0) {
                message += "; the last good checkpoint, after epoch " + savedEpoch[0] + ", is kept in " + save;
            } else if (resume != null) {
                message += "; no new epoch completed, the last good checkpoint is still " + resume;
            } else if (save != null) {
                message += "; no epoch completed, so no checkpoint was written to " + save;
            }
            record.put("error", message);
            write(target, record, history, "failed");
            console.println("wrote " + target + " (failed run)");
            throw new TrainingException(message, e);
        }
        write(target, record, history, "complete");
        if (save != null) {
            console.println("checkpoint " + save + " (after epoch " + mnist.completedEpochs() + ")");
        }
        mnist.close();
        console.println("wrote " + target);
        console.flush();
        return 0;
    }

    /** How a CSV training file of {@code request} was read, or null when it is not CSV. */
    private static FileLayout csvLayout(TrainingData.Request request) {
        return request.dataFormat() == DataFormat.CSV ? request.layout() : null;
    }

    /**
     * Writes the checkpoint of the run after its latest epoch, with the settings, the history,
     * the training file's class labels ({@value #CLASS_LABELS}) and how a CSV training file was
     * read and which columns it has ({@value #CSV_LAYOUT}, unless {@code csv} is null) as extras,
     * for {@code evaluate}.
     */
    private void saveCheckpoint(
            MnistRun mnist,
            RunConfig settings,
            List<EpochStats> history,
            String started,
            TrainingData data,
            FileLayout csv) {
        Map<String, String> extras = new LinkedHashMap<>();
        if (data.classLabels().size() > 0) {
            extras.put(CLASS_LABELS, JsonCodec.write(data.classLabels().names()));
        }
        if (csv != null) {
            extras.put(CSV_LAYOUT, JsonCodec.write(csv.csvJson(data.columns())));
        }
        extras.put("config", JsonCodec.writeIndented(settings.toJson()));
        List<Object> epochs = new ArrayList<>();
        for (EpochStats stats : history) {
            epochs.add(stats.toJson());
        }
        extras.put("history", JsonCodec.writeIndented(epochs));
        extras.put("started", started);
        try {
            mnist.saveCheckpoint(save, extras);
        } catch (IOException e) {
            throw new java.io.UncheckedIOException("cannot write the checkpoint " + save, e);
        }
    }

    private static Checkpoint readCheckpoint(Path file) throws IOException {
        if (!Files.isRegularFile(file)) {
            throw new UsageException("--resume " + file + ": no such file; give a checkpoint written by --save");
        }
        try {
            return Checkpoint.read(file);
        } catch (ModelFileException e) {
            throw new UsageException("--resume: " + e.getMessage());
        }
    }

    private static RunConfig savedConfig(Checkpoint checkpoint, Path file) {
        String json = checkpoint.extras().get("config");
        if (json == null) {
            throw new UsageException("--resume " + file + ": the checkpoint has no run settings (extras \"config\"); "
                    + "it was not written by 'sparselinear train --save'");
        }
        try {
            if (!(JsonCodec.parse(json) instanceof Map<?, ?> map)) {
                throw new IllegalArgumentException("expected a JSON object");
            }
            return RunConfig.fromJson(map);
        } catch (JsonCodec.SyntaxException | IllegalArgumentException e) {
            throw new UsageException("--resume " + file + ": bad run settings in the checkpoint: " + e.getMessage());
        }
    }

    private static List<EpochStats> savedHistory(Checkpoint checkpoint, Path file) {
        String json = checkpoint.extras().get("history");
        List<EpochStats> history = new ArrayList<>();
        if (json == null) {
            return history;
        }
        try {
            if (!(JsonCodec.parse(json) instanceof List<?> list)) {
                throw new IllegalArgumentException("expected a JSON array");
            }
            for (Object item : list) {
                if (!(item instanceof Map<?, ?> map)) {
                    throw new IllegalArgumentException("expected an object per epoch");
                }
                history.add(EpochStats.fromJson(map));
            }
        } catch (JsonCodec.SyntaxException | IllegalArgumentException e) {
            throw new UsageException("--resume " + file + ": bad history in the checkpoint: " + e.getMessage());
        }
        return history;
    }

    /**
     * The saved settings, with {@code --epochs} and {@code --lr} from the command line when given;
     * any other option given must agree with the saved value.
     */
    private RunConfig resumedConfig(RunConfig saved, RunConfig given, PrintWriter console) {
        CommandLine.ParseResult parsed = spec.commandLine().getParseResult();
        List<String> conflicts = new ArrayList<>();
        conflict(parsed, "--model", saved.model(), given.model(), conflicts);
        if (saved.model() == ModelKind.sparse) {
            conflict(parsed, "--sparsity", saved.sparsity(), given.sparsity(), conflicts);
        }
        conflict(parsed, "--hidden", saved.hidden(), given.hidden(), conflicts);
        conflict(parsed, "--momentum", saved.momentum(), given.momentum(), conflicts);
        conflict(parsed, "--batch", saved.batchSize(), given.batchSize(), conflicts);
        conflict(parsed, "--optimizer", saved.optimizer(), given.optimizer(), conflicts);
        conflict(parsed, "--seed", saved.seed(), given.seed(), conflicts);
        conflict(parsed, "--limit", saved.limit(), given.limit(), conflicts);
        if (!conflicts.isEmpty()) {
            throw run.fail("--resume continues a run with its saved settings, but " + String.join(", ", conflicts)
                    + "; drop those options or start a new run");
        }
        double learningRate = saved.learningRate();
        if (parsed.hasMatchedOption("--lr") && given.learningRate() != saved.learningRate()) {
            console.println(
                    "note: --lr " + given.learningRate() + " replaces the checkpoint's " + saved.learningRate());
            learningRate = given.learningRate();
        }
        int epochs = parsed.hasMatchedOption("--epochs") ? given.epochs() : saved.epochs();
        return new RunConfig(
                saved.model(),
                saved.sparsity(),
                saved.hidden(),
                epochs,
                learningRate,
                saved.momentum(),
                saved.batchSize(),
                saved.seed(),
                saved.limit(),
                saved.optimizer());
    }

    private static void conflict(
            CommandLine.ParseResult parsed, String option, Object saved, Object given, List<String> conflicts) {
        if (parsed.hasMatchedOption(option) && !saved.equals(given)) {
            conflicts.add(option + " " + given + " differs from the saved " + saved);
        }
    }

    /**
     * {@code runs/train-MODEL-yyyyMMdd-HHmmss.json} (UTC), relative to the working directory, for the first
     * run started in that second; {@code ...-HHmmss-N.json} for the {@code N}th.
     */
    static Path defaultOutput(ModelKind model, Instant started, int n) {
        String suffix = n == 1 ? "" : "-" + n;
        return Path.of("runs", "train-" + model + "-" + STAMP.format(started) + suffix + ".json");
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
        double lr = learningRate != null ? learningRate : optimizer.defaultLearningRate(model);
        RunOptions.requireLearningRate(spec.commandLine(), "--lr", lr);
        if (!(momentum >= 0 && momentum < 1)) {
            throw run.fail("--momentum must be in [0, 1), got " + momentum);
        }
        if (batchSize < 1) {
            throw run.fail("--batch must be at least 1, got " + batchSize);
        }
        return new RunConfig(model, s, hidden, run.epochs, lr, momentum, batchSize, run.seed, run.limit, optimizer);
    }

    /** Where the data is and how to read it: {@code --data} (a file or an IDX folder) and the options about it. */
    private TrainingData.Request dataRequest() {
        DataFormat dataFormat = null;
        if (dataFile.format != null) {
            try {
                dataFormat = DataFormat.named(dataFile.format);
            } catch (IllegalArgumentException e) {
                throw run.fail("--format: " + e.getMessage());
            }
        }
        double split = validationSplit != null ? validationSplit : 0;
        if (validationSplit != null && !(split > 0 && split < 1)) {
            throw run.fail("--validation-split must be in (0, 1), got " + validationSplit + " (0.1 holds out 10 %)");
        }
        Path data = run.data;
        if (data == null || dataFormat == DataFormat.IDX || (dataFormat == null && !namesAFile(data))) {
            data = run.dataFolder();
            dataFormat = DataFormat.IDX;
        }
        return new TrainingData.Request(data, dataFormat, test, split, dataFile.layout(), run.seed);
    }

    /** Whether {@code data} is a file, or a path whose name gives a file format; anything else is an IDX folder. */
    private static boolean namesAFile(Path data) {
        if (Files.isRegularFile(data)) {
            return true;
        }
        try {
            return DataFormat.of(data) != DataFormat.IDX;
        } catch (IllegalArgumentException e) {
            return false;
        }
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
            AtomicFiles.writeString(target, JsonCodec.writeIndented(record) + "\n");
        } catch (IOException e) {
            throw new java.io.UncheckedIOException("cannot write the run record " + target, e);
        }
    }
}
