package org.sparselinear.examples;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import org.sparselinear.api.Backend;
import org.sparselinear.api.Backends;
import org.sparselinear.data.DataFormatException;
import org.sparselinear.data.SvmLightOptions;
import org.sparselinear.io.JsonCodec;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;

/**
 * The sparse-input benchmark: text classification of the Debian package descriptions shipped in
 * {@code data/debian-sections} (TF-IDF unigrams and bigrams, 46,369 features, about 11 non-zeros
 * per sample, 50 sections), fed to the network as sparse rows. It trains, on the same data and
 * with the same settings, a dense {@code Linear} first layer and {@code SparseLinear} first layers
 * at 91 % and 99 % sparsity, each followed by the same hidden ReLU layer and output layer
 * ({@link TextModel}), and prints their parameters, test accuracy and training speed side by side.
 * The default sparse layers are 91 % and 99 % sparse: at 90 % the whole network (with the first
 * layer's bias and the output layer) would have 10.1 % of the dense network's parameters.
 * Any other pair of svmlight files can be given instead.
 */
@Command(
        name = "text",
        mixinStandardHelpOptions = true,
        description = {
            "Text classification with sparse inputs: Debian package descriptions (TF-IDF, 46,369 features) "
                    + "into their 50 sections, with a dense first layer and SparseLinear first layers at 91 %% and "
                    + "99 %% sparsity; prints accuracy, parameters and training speed of each."
        })
final class TextCommand implements Callable<Integer> {

    /** Format tag of the JSON record. */
    static final String FORMAT = "sparselinear-text-run/1";

    /** Where the shipped data set lies inside the data folder. */
    static final String SHIPPED = "debian-sections";

    @ParentCommand
    SparseLinearCli cli;

    @Spec
    CommandSpec spec;

    @Option(
            names = "--train",
            paramLabel = "FILE",
            description = "Training file, svmlight (plain or .gz). Default: data/debian-sections/train.svm.gz.")
    Path train;

    @Option(
            names = "--test",
            paramLabel = "FILE",
            description = "Test file, svmlight, read with the training file's features and class numbering. "
                    + "Default: the test.svm.gz next to the training file.")
    Path test;

    @Option(
            names = "--models",
            paramLabel = "LIST",
            split = ",",
            defaultValue = "dense,0.91,0.99",
            description = "The first layers to compare: 'dense' and sparsities of SparseLinear layers "
                    + "(default: ${DEFAULT-VALUE}).")
    List<String> models;

    @Option(
            names = "--epochs",
            paramLabel = "N",
            defaultValue = "" + TextModel.EPOCHS,
            description = "Training epochs of each model (default: ${DEFAULT-VALUE}).")
    int epochs;

    @Option(
            names = "--hidden",
            paramLabel = "H",
            defaultValue = "" + TextModel.HIDDEN,
            description = "Width of the hidden layer (default: ${DEFAULT-VALUE}).")
    int hidden;

    @Option(
            names = "--batch",
            paramLabel = "B",
            defaultValue = "" + TextModel.BATCH,
            description = "Training batch size (default: ${DEFAULT-VALUE}).")
    int batch;

    @Option(
            names = "--optimizer",
            paramLabel = "adam|adagrad",
            defaultValue = "adagrad",
            description = "Adagrad, whose step skips the entries of zero gradient (the weights of features a batch "
                    + "does not have), or Adam (default: ${DEFAULT-VALUE}).")
    OptimizerKind optimizer;

    @Option(
            names = "--lr",
            paramLabel = "X",
            description = "The optimizer's learning rate (default: Adam " + TextModel.LEARNING_RATE + ", Adagrad "
                    + TextModel.ADAGRAD_LEARNING_RATE + ").")
    Double learningRate;

    @Option(
            names = "--dropout",
            paramLabel = "P",
            defaultValue = "" + TextModel.DROPOUT,
            description = "Dropout probability after the hidden layer, in [0, 1) (default: ${DEFAULT-VALUE}).")
    double dropout;

    @Option(
            names = "--label-smoothing",
            paramLabel = "EPS",
            defaultValue = "" + TextModel.LABEL_SMOOTHING,
            description = "The cross-entropy's label smoothing, in [0, 1) (default: ${DEFAULT-VALUE}; 0 turns it off).")
    double labelSmoothing;

    @Option(
            names = "--dense-share",
            paramLabel = "S",
            defaultValue = "" + TextModel.DENSE_SHARE,
            description =
                    "Share of a sparse first layer's connections spent on hidden units connected to every feature "
                            + "(topology dense-units), in [0, 1]; 0 connects uniformly at random (default: ${DEFAULT-VALUE}).")
    double denseShare;

    @Option(
            names = "--seed",
            paramLabel = "K",
            defaultValue = "0",
            description = "Seed of the weights, connections, dropout and shuffling (default: ${DEFAULT-VALUE}).")
    long seed;

    @Option(
            names = "--limit",
            paramLabel = "N",
            defaultValue = "0",
            description = "Use only the first N samples of each file (0: all; default: ${DEFAULT-VALUE}).")
    int limit;

    @Option(names = "--json", paramLabel = "FILE", description = "Also write the results as JSON to FILE (atomically).")
    Path json;

    @Override
    public Integer call() throws IOException {
        List<TextModel.FirstLayer> firstLayers = validate();
        Path trainFile = train != null
                ? train
                : DataLocator.resolve(null).resolve(SHIPPED).resolve("train.svm.gz");
        Path testFile = test != null ? test : trainFile.resolveSibling("test.svm.gz");
        TrainingData.SvmLightFiles files = read(trainFile, testFile, train != null && test == null);
        TrainingData data = new TrainingData(
                files.train(),
                files.test(),
                trainFile.toString(),
                files.testSource(),
                files.train().classLabels());
        if (limit > 0) {
            data = data.limited(limit);
        }
        MnistRun.requireBatch(batch, data.train());
        PrintWriter out = spec.commandLine().getOut();
        Backend backend = Backends.get();
        out.println(data.summary());
        out.println("backend: " + backend.name() + " (" + backend.description() + ")");
        out.flush();
        TextModel.Settings settings = new TextModel.Settings(
                hidden,
                epochs,
                batch,
                optimizer,
                learningRate != null ? learningRate : TextModel.defaultLearningRate(optimizer),
                dropout,
                labelSmoothing,
                denseShare,
                seed);
        List<TextModel.Result> results = new ArrayList<>();
        for (TextModel.FirstLayer first : firstLayers) {
            out.println(first.describe(data.train().featureCount(), hidden, denseShare) + ":");
            out.flush();
            TextModel.Result result =
                    TextModel.train(first, settings, data, backend, cli.progress(), cli.time(), stats -> {
                        out.println("  " + stats.format(epochs));
                        out.flush();
                    });
            results.add(result);
        }
        out.println();
        out.print(TextModel.table(results));
        out.flush();
        if (json != null) {
            AtomicFiles.writeString(json, JsonCodec.writeIndented(record(data, backend, settings, results)) + "\n");
            out.println("wrote " + json);
        }
        return 0;
    }

    private List<TextModel.FirstLayer> validate() {
        if (epochs < 1) {
            throw fail("--epochs must be at least 1, got " + epochs);
        }
        if (hidden < 1) {
            throw fail("--hidden must be at least 1, got " + hidden);
        }
        if (batch < 1) {
            throw fail("--batch must be at least 1, got " + batch);
        }
        if (limit < 0) {
            throw fail("--limit must be 0 (all samples) or positive, got " + limit);
        }
        if (optimizer == OptimizerKind.sgd) {
            throw fail("--optimizer: text trains with adam or adagrad, got sgd (Adam beat SGD with momentum at every "
                    + "learning rate tried on this task)");
        }
        if (learningRate != null) {
            RunOptions.requireLearningRate(spec.commandLine(), "--lr", learningRate);
        }
        if (!(dropout >= 0 && dropout < 1)) {
            throw fail("--dropout must be in [0, 1), got " + dropout);
        }
        if (!(denseShare >= 0 && denseShare <= 1)) {
            throw fail("--dense-share must be in [0, 1], got " + denseShare);
        }
        if (!(labelSmoothing >= 0 && labelSmoothing < 1)) {
            throw fail("--label-smoothing must be in [0, 1), got " + labelSmoothing);
        }
        List<TextModel.FirstLayer> layers = new ArrayList<>();
        for (String model : models) {
            try {
                layers.add(TextModel.FirstLayer.parse(model));
            } catch (IllegalArgumentException e) {
                throw fail("--models: " + e.getMessage());
            }
        }
        return layers;
    }

    /** The training and test files, read with the same features and classes ({@link TrainingData#svmlightPair}). */
    private static TrainingData.SvmLightFiles read(Path trainFile, Path testFile, boolean testBesideTraining)
            throws IOException {
        for (Path file : List.of(trainFile, testFile)) {
            if (file == testFile && testBesideTraining && !Files.isRegularFile(testFile)) {
                throw new UsageException("no test file: without --test, the test set is the test.svm.gz next to the "
                        + "training file, and " + testFile.toAbsolutePath() + " does not exist; give --test FILE");
            }
            if (!Files.isRegularFile(file)) {
                throw new UsageException(file + ": no such file; give an svmlight file with --train/--test, or run "
                        + "from the repository, whose data/" + SHIPPED + " holds the shipped one");
            }
        }
        try {
            return TrainingData.svmlightPair(trainFile, testFile, SvmLightOptions.defaults());
        } catch (DataFormatException e) {
            throw new UsageException(e.getMessage());
        }
    }

    private static Map<String, Object> record(
            TrainingData data, Backend backend, TextModel.Settings settings, List<TextModel.Result> results) {
        Map<String, Object> record = new LinkedHashMap<>();
        record.put("format", FORMAT);
        Map<String, Object> dataJson = new LinkedHashMap<>();
        dataJson.put("train", data.trainSource());
        dataJson.put("test", data.testSource());
        dataJson.put("train_samples", data.train().size());
        dataJson.put("test_samples", data.test().size());
        dataJson.put("features", data.train().featureCount());
        dataJson.put("non_zeros_per_sample", TrainingData.nonZerosPerSample(data.train()));
        dataJson.put("classes", data.train().classes());
        record.put("data", dataJson);
        record.put("backend", backend.name());
        record.put("backend_description", backend.description());
        record.put("settings", settings.toJson());
        List<Object> models = new ArrayList<>();
        for (TextModel.Result result : results) {
            models.add(result.toJson());
        }
        record.put("models", models);
        return record;
    }

    private ParameterException fail(String message) {
        return new ParameterException(spec.commandLine(), message);
    }
}
