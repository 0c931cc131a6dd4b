package org.sparselinear.examples;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import org.sparselinear.api.Backend;
import org.sparselinear.api.Backends;
import org.sparselinear.api.Layer;
import org.sparselinear.data.DataLoader;
import org.sparselinear.io.JsonCodec;
import org.sparselinear.nn.Parameters;
import org.sparselinear.nn.optim.SGD;
import org.sparselinear.nn.sparsity.LayerSparsity;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;

/**
 * The reference notebook's experiments, each model trained with the same budget (epochs, batch,
 * data and its order, optimizer): dense; sparse with random connections; user-defined connections
 * (each input to 200 random outputs, as in the notebook); RigL; SET; small-world; dense with
 * K-Winners; sparse with K-Winners. Prints a table (parameters, test accuracy, seconds per epoch,
 * connections rewired) and writes a JSON record and PNG pictures to the output folder:
 * {@code accuracy.png}, {@code loss.png}, {@code curves-MODEL.png} and {@code connectivity.png}.
 */
@Command(
        name = "experiments",
        mixinStandardHelpOptions = true,
        description = {
            "Reproduce the reference notebook's experiments with one budget for every model: dense, sparse "
                    + "random, user-defined connections, RigL, SET, small-world, dense + K-Winners, sparse + K-Winners.",
            "Prints a comparison table and writes experiments.json, accuracy.png, loss.png, curves-MODEL.png and "
                    + "connectivity.png to the output folder. Use --data for Fashion-MNIST (same IDX files)."
        })
final class ExperimentsCommand implements Callable<Integer> {

    /** Format tag of the record. */
    static final String FORMAT = "sparselinear-experiments/1";

    /** The record's file name in the output folder. */
    private static final String RECORD = "experiments.json";

    private static final DateTimeFormatter STAMP =
            DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss", Locale.ROOT).withZone(ZoneOffset.UTC);

    @ParentCommand
    SparseLinearCli cli;

    @Spec
    CommandSpec spec;

    @Option(
            names = "--epochs",
            paramLabel = "N",
            defaultValue = "5",
            description = "Training epochs of every model (default: ${DEFAULT-VALUE}; about 3 minutes on 2 cores).")
    int epochs;

    @Option(
            names = "--models",
            paramLabel = "LIST",
            defaultValue = "all",
            description = "Comma-separated models to run, from: dense, sparse, user, rigl, set, small-world, "
                    + "dense-kwinners, sparse-kwinners (default: ${DEFAULT-VALUE}).")
    String models;

    @Option(
            names = "--sparsity",
            paramLabel = "S",
            defaultValue = "0.9",
            description = "Target sparsity of the sparse models, in [0, 1) (default: ${DEFAULT-VALUE}).")
    double sparsity;

    @Option(
            names = "--layer-sparsity",
            paramLabel = "uniform|erk",
            defaultValue = "uniform",
            description = "How the target is shared by the two layers of the random-topology models (sparse, rigl, "
                    + "set, sparse-kwinners): uniform, or erk (Erdos-Renyi-Kernel, RigL) (default: ${DEFAULT-VALUE}).")
    String layerSparsity;

    @Option(
            names = "--connections",
            paramLabel = "C",
            defaultValue = "200",
            description = "Outputs each input connects to in the user-defined model (default: ${DEFAULT-VALUE}).")
    int connections;

    @Option(
            names = "--density",
            paramLabel = "D",
            defaultValue = "0.35",
            description =
                    "Fraction of hidden features K-Winners keeps per sample, in (0, 1] (default: ${DEFAULT-VALUE}, "
                            + "the notebook's act_sparsity 0.65).")
    double density;

    @Option(
            names = "--rigl-delta-t",
            paramLabel = "N",
            defaultValue = "100",
            description = "RigL: steps between connectivity updates (default: ${DEFAULT-VALUE}); updates stop at 75 %% "
                    + "of the planned steps.")
    int rigLDeltaT;

    @Option(
            names = "--rigl-alpha",
            paramLabel = "A",
            defaultValue = "0.3",
            description = "RigL: initial fraction of connections updated, in (0, 1] (default: ${DEFAULT-VALUE}).")
    double rigLAlpha;

    @Option(
            names = "--set-zeta",
            paramLabel = "Z",
            defaultValue = "0.3",
            description =
                    "SET: fraction of connections replaced after each epoch, in (0, 1) (default: ${DEFAULT-VALUE}).")
    double setZeta;

    @Option(
            names = "--hidden",
            paramLabel = "H",
            defaultValue = "2000",
            description = "Width of the hidden layer (default: ${DEFAULT-VALUE}).")
    int hidden;

    @Option(
            names = "--batch",
            paramLabel = "B",
            defaultValue = "64",
            description = "Training batch size (default: ${DEFAULT-VALUE}).")
    int batchSize;

    @Option(
            names = "--seed",
            paramLabel = "K",
            defaultValue = "0",
            description = "Seed of the weights, connections and shuffling (default: ${DEFAULT-VALUE}).")
    long seed;

    @Option(
            names = "--data",
            paramLabel = "DIR",
            description =
                    "Folder with the MNIST or Fashion-MNIST IDX files (default: the shipped MNIST subset, found as "
                            + "for the other commands).")
    Path data;

    @Option(
            names = "--limit",
            paramLabel = "N",
            defaultValue = "0",
            description = "Use only the first N samples of each split (0: all; default: ${DEFAULT-VALUE}).")
    int limit;

    @Option(
            names = "--out",
            paramLabel = "DIR",
            description = "Folder for the record and the pictures (default: runs/experiments-TIMESTAMP).")
    Path out;

    @Override
    public Integer call() throws IOException {
        List<Experiment> chosen = validate();
        Path folder = dataFolder();
        Instant started = cli.time().now();
        if (out != null && Files.exists(out) && !Files.isDirectory(out)) {
            throw fail("--out " + out + " is a file; give a folder");
        }
        try (RunLocks locks = new RunLocks()) {
            Path record = out != null
                    ? locks.lock("--out", out.resolve(RECORD))
                    : locks.lockNew(n -> defaultOutput(started, n).resolve(RECORD));
            return runExperiments(chosen, folder, started, record.getParent());
        }
    }

    /**
     * {@code runs/experiments-yyyyMMdd-HHmmss} (UTC) for the first run started in that second; {@code ...-N}
     * for the {@code N}th.
     */
    static Path defaultOutput(Instant started, int n) {
        return Path.of("runs", "experiments-" + STAMP.format(started) + (n == 1 ? "" : "-" + n));
    }

    /** Runs the experiments, writing the record and pictures into {@code target}, whose record this run has locked. */
    private Integer runExperiments(List<Experiment> chosen, Path folder, Instant started, Path target)
            throws IOException {
        PrintWriter console = spec.commandLine().getOut();
        Backend backend = Backends.get();
        MnistData dataset = MnistData.load(folder, limit);
        int inputs = dataset.train().featureCount();
        int classes = dataset.train().classes();
        dataset.requireBatch(batchSize);
        int batches = dataset.train().size() / batchSize;
        long plannedSteps = (long) epochs * batches;
        double[] sparsities = "erk".equals(layerSparsity)
                ? LayerSparsity.erdosRenyiKernel(sparsity, new int[] {inputs, hidden}, new int[] {hidden, classes})
                : LayerSparsity.uniform(sparsity, new int[] {inputs, hidden}, new int[] {hidden, classes});
        Experiment.Settings settings = new Experiment.Settings(
                inputs,
                hidden,
                classes,
                sparsities,
                connections,
                density,
                plannedSteps,
                rigLDeltaT,
                rigLAlpha,
                setZeta,
                seed,
                backend);
        console.println("backend: " + backend.name() + " (" + backend.description() + ")");
        console.printf(
                Locale.ROOT,
                "data: %s (%d training, %d test samples, %d classes)%n",
                folder,
                dataset.train().size(),
                dataset.test().size(),
                classes);
        console.printf(
                Locale.ROOT,
                "budget for every model: %d epochs x %d batches of %d (%d steps), SGD momentum 0.9; "
                        + "layer sparsities %s (%s)%n",
                epochs,
                batches,
                batchSize,
                plannedSteps,
                format(sparsities),
                layerSparsity);
        console.flush();

        Map<String, Object> record = new LinkedHashMap<>();
        record.put("format", FORMAT);
        record.put("status", "running");
        record.put("started", started.toString());
        record.put("config", config(sparsities, plannedSteps));
        Map<String, Object> dataJson = new LinkedHashMap<>();
        dataJson.put("folder", folder.toAbsolutePath().normalize().toString());
        dataJson.put("train_samples", dataset.train().size());
        dataJson.put("test_samples", dataset.test().size());
        dataJson.put("classes", classes);
        record.put("data", dataJson);
        Map<String, Object> backendJson = new LinkedHashMap<>();
        backendJson.put("name", backend.name());
        backendJson.put("description", backend.description());
        record.put("backend", backendJson);
        record.put("java", System.getProperty("java.version"));
        Path json = target.resolve(RECORD);

        List<ExperimentRun.Result> results = new ArrayList<>();
        for (Experiment experiment : chosen) {
            Layer model;
            try {
                model = experiment.build(settings);
            } catch (IllegalArgumentException e) {
                throw new UsageException("model " + experiment.label() + ": " + e.getMessage());
            }
            SGD optimizer = new SGD(model.parameters(), experiment.learningRate(), 0.9);
            console.printf(
                    Locale.ROOT,
                    "%n%s: %s, %,d parameters, SGD lr %s%n",
                    experiment.label(),
                    experiment.description().replace("C random", connections + " random"),
                    Parameters.count(model.parameters()),
                    experiment.learningRate());
            console.flush();
            DataLoader train = new DataLoader(dataset.train(), batchSize, true, seed, true);
            DataLoader test = new DataLoader(dataset.test(), MnistRun.TEST_BATCH, false, seed, false);
            ExperimentRun run = new ExperimentRun(experiment, model, optimizer, cli.progress(), cli.time());
            ExperimentRun.Result result = run.fit(epochs, train, test, stats -> {
                console.println(stats.format(epochs));
                console.flush();
            });
            if (result.rewiringEvents() > 0) {
                console.printf(
                        Locale.ROOT,
                        "rewired %,d connections in %d layer updates%n",
                        result.rewiredConnections(),
                        result.rewiringEvents());
            }
            results.add(result);
            writeRecord(json, record, results, "running", List.of());
        }
        console.println();
        console.print(table(results));
        console.flush();

        List<String> pictures = writePictures(target, results);
        writeRecord(json, record, results, "complete", pictures);
        console.println("wrote " + json + " and " + String.join(", ", pictures) + " in " + target);
        console.flush();
        return 0;
    }

    private List<Experiment> validate() {
        if (epochs < 1) {
            throw fail("--epochs must be at least 1, got " + epochs);
        }
        if (!(sparsity >= 0 && sparsity < 1)) {
            throw fail("--sparsity must be in [0, 1), got " + sparsity);
        }
        if (!"uniform".equals(layerSparsity) && !"erk".equals(layerSparsity)) {
            throw fail("--layer-sparsity must be uniform or erk, got '" + layerSparsity + "'");
        }
        if (connections < 1) {
            throw fail("--connections must be at least 1, got " + connections);
        }
        if (!(density > 0 && density <= 1)) {
            throw fail("--density must be in (0, 1], got " + density);
        }
        if (hidden < 1) {
            throw fail("--hidden must be at least 1, got " + hidden);
        }
        if (rigLDeltaT < 1) {
            throw fail("--rigl-delta-t must be at least 1, got " + rigLDeltaT);
        }
        if (!(rigLAlpha > 0 && rigLAlpha <= 1)) {
            throw fail("--rigl-alpha must be in (0, 1], got " + rigLAlpha);
        }
        if (!(setZeta > 0 && setZeta < 1)) {
            throw fail("--set-zeta must be in (0, 1), got " + setZeta);
        }
        if (batchSize < 1) {
            throw fail("--batch must be at least 1, got " + batchSize);
        }
        if (limit < 0) {
            throw fail("--limit must be 0 (all samples) or positive, got " + limit);
        }
        try {
            return Experiment.parse(models);
        } catch (UsageException e) {
            throw fail(e.getMessage());
        }
    }

    private Path dataFolder() {
        try {
            return MnistData.check(DataLocator.resolve(data));
        } catch (UsageException e) {
            throw fail(e.getMessage());
        }
    }

    private ParameterException fail(String message) {
        return new ParameterException(spec.commandLine(), message);
    }

    private Map<String, Object> config(double[] sparsities, long plannedSteps) {
        Map<String, Object> config = new LinkedHashMap<>();
        config.put("epochs", epochs);
        config.put("batch_size", batchSize);
        config.put("planned_steps", plannedSteps);
        config.put("hidden", hidden);
        config.put("sparsity", sparsity);
        config.put("layer_sparsity", layerSparsity);
        config.put("layer_sparsities", Arrays.stream(sparsities).boxed().toList());
        config.put("user_connections_per_input", connections);
        config.put("kwinners_density", density);
        config.put("rigl_delta_t", rigLDeltaT);
        config.put("rigl_alpha", rigLAlpha);
        config.put("rigl_t_end", Math.max(1, (long) (0.75 * plannedSteps)));
        config.put("set_zeta", setZeta);
        config.put("momentum", 0.9);
        config.put("seed", seed);
        config.put("limit", limit > 0 ? (Object) limit : null);
        return config;
    }

    private void writeRecord(
            Path json,
            Map<String, Object> record,
            List<ExperimentRun.Result> results,
            String status,
            List<String> pictures) {
        record.put("status", status);
        List<Object> modelsJson = new ArrayList<>();
        for (ExperimentRun.Result result : results) {
            modelsJson.add(result.toJson(connections));
        }
        record.put("models", modelsJson);
        record.put("pictures", pictures);
        try {
            AtomicFiles.writeString(json, JsonCodec.writeIndented(record) + "\n");
        } catch (IOException e) {
            throw new java.io.UncheckedIOException("cannot write the record " + json, e);
        }
    }

    private static List<String> writePictures(Path target, List<ExperimentRun.Result> results) throws IOException {
        System.setProperty("java.awt.headless", "true");
        List<String> written = new ArrayList<>();
        ExperimentPlots.writePng(
                ExperimentPlots.image(ExperimentPlots.accuracyChart(results)), target.resolve("accuracy.png"));
        written.add("accuracy.png");
        ExperimentPlots.writePng(ExperimentPlots.image(ExperimentPlots.lossChart(results)), target.resolve("loss.png"));
        written.add("loss.png");
        for (ExperimentRun.Result result : results) {
            String name = "curves-" + result.experiment().label() + ".png";
            ExperimentPlots.writePng(ExperimentPlots.modelCurves(result), target.resolve(name));
            written.add(name);
        }
        List<ExperimentPlots.Panel> panels = ExperimentPlots.panels(results);
        if (!panels.isEmpty()) {
            ExperimentPlots.writePng(ExperimentPlots.connectivityPicture(panels), target.resolve("connectivity.png"));
            written.add("connectivity.png");
        }
        return written;
    }

    /** The comparison table. */
    static String table(List<ExperimentRun.Result> results) {
        StringBuilder table = new StringBuilder();
        table.append(String.format(
                Locale.ROOT, "%-16s %12s %11s %9s %10s%n", "model", "parameters", "test acc %", "s/epoch", "rewired"));
        for (ExperimentRun.Result result : results) {
            table.append(String.format(
                    Locale.ROOT,
                    "%-16s %,12d %11.2f %9.1f %10s%n",
                    result.experiment().label(),
                    result.parameters(),
                    result.finalTestAccuracy(),
                    result.trainSecondsPerEpoch(),
                    result.rewiringEvents() > 0
                            ? String.format(Locale.ROOT, "%,d", result.rewiredConnections())
                            : "-"));
        }
        return table.toString();
    }

    private static String format(double[] sparsities) {
        StringBuilder text = new StringBuilder("[");
        for (int i = 0; i < sparsities.length; i++) {
            text.append(i > 0 ? ", " : "").append(String.format(Locale.ROOT, "%.4f", sparsities[i]));
        }
        return text.append(']').toString();
    }
}
