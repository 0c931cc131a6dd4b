package org.sparselinear.examples;

import java.io.FileNotFoundException;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import org.sparselinear.api.Backends;
import org.sparselinear.api.Layer;
import org.sparselinear.data.ClassLabels;
import org.sparselinear.data.DataFormat;
import org.sparselinear.data.DataFormatException;
import org.sparselinear.data.Dataset;
import org.sparselinear.io.Checkpoint;
import org.sparselinear.io.JsonCodec;
import org.sparselinear.io.ModelFile;
import org.sparselinear.io.ModelFileException;
import org.sparselinear.nn.Bf16SparseLinear;
import org.sparselinear.nn.Flatten;
import org.sparselinear.nn.Linear;
import org.sparselinear.nn.Sequential;
import org.sparselinear.nn.SparseLinear;
import org.sparselinear.nn.loss.CrossEntropyLoss;
import org.sparselinear.nn.train.Evaluator;
import org.sparselinear.nn.train.Metrics;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * Measures a saved model or checkpoint on a data set with the layers' {@link Evaluator}: the mean
 * cross-entropy, the accuracy and the top-k accuracy. The data is given as to {@code train}: an IDX
 * folder (its test split is measured) or an svmlight or CSV file (all of it, its classes numbered as
 * the file's sorted labels).
 */
@Command(
        name = "evaluate",
        mixinStandardHelpOptions = true,
        description = {
            "Measure a saved model or checkpoint (a .safetensors file written by ModelFile.save or 'train --save') "
                    + "on a data set: loss, accuracy and top-k accuracy. --data is an MNIST IDX folder (its test "
                    + "split is used; the default data folder when omitted) or an svmlight or CSV file (all of it)."
        })
final class EvaluateCommand implements Callable<Integer> {

    @Spec
    CommandSpec spec;

    @Mixin
    DataFileOptions dataFile;

    @Parameters(paramLabel = "FILE", description = "The model or checkpoint file.")
    Path file;

    @Option(
            names = "--data",
            paramLabel = "PATH",
            description = "An MNIST IDX folder, or an svmlight (.svm) or CSV (.csv) file, plain or .gz. Default: -D"
                    + DataLocator.PROPERTY + ", $" + DataLocator.ENVIRONMENT + ", else a 'data' folder next to the "
                    + "jar or the working directory or above them.")
    Path data;

    @Option(
            names = "--top-k",
            paramLabel = "K",
            defaultValue = "5",
            description = "The k of the top-k accuracy (default: ${DEFAULT-VALUE}).")
    int topK;

    @Option(
            names = "--bf16",
            description = "Also evaluate the model with its sparse weights compressed to bfloat16 "
                    + "(compressForInference) and print its accuracy beside the float32 one.")
    boolean bf16;

    @Override
    public Integer call() throws IOException {
        if (topK < 1) {
            throw new UsageException("--top-k must be at least 1, got " + topK);
        }
        if (!Files.isRegularFile(file)) {
            throw new UsageException(file + ": no such file" + (Files.isDirectory(file) ? " (it is a folder)" : ""));
        }
        Layer model;
        try {
            model = ModelFile.load(file);
        } catch (ModelFileException e) {
            throw new UsageException("not a valid model file: " + e.getMessage());
        }
        String source = data != null ? data.toString() : "the MNIST test split";
        int features = inputFeatures(model);
        Map<String, String> extras = checkpointExtras(file);
        ClassLabels trained = trainingLabels(file, extras);
        Dataset samples = read(features, trained, extras);
        if (data == null && features > 0 && samples.featureCount() != features) {
            model.close();
            throw new UsageException(file + " takes " + features + " input features, but without --data evaluate "
                    + "reads the MNIST test split (" + samples.featureCount() + " pixels); give the data to "
                    + "evaluate on with --data FILE");
        }
        int outputs = outputFeatures(model);
        Metrics metrics;
        String bf16Line = null;
        try (model) {
            metrics = Evaluator.of(model, new CrossEntropyLoss())
                    .withTopK(topK)
                    .withBatchSize(MnistRun.TEST_BATCH)
                    .evaluate(samples);
            if (bf16) {
                bf16Line = Bf16Check.compare(model, samples, Backends.get());
            }
        } catch (IllegalArgumentException | IllegalStateException e) {
            // a shape that does not match, or sparse rows into a first layer that takes only dense ones
            throw new UsageException("the model does not fit " + source + ": " + e.getMessage());
        }
        PrintWriter out = spec.commandLine().getOut();
        if (trained == null && data != null && !Files.isDirectory(data) && samples.classes() < outputs) {
            out.printf(
                    Locale.ROOT,
                    "note: %s has %d classes and the model %d outputs. Its classes are numbered by its own sorted "
                            + "labels; if it lacks a label of the training file other than the last ones, the "
                            + "numbering differs from training and these numbers are wrong%n",
                    data,
                    samples.classes(),
                    outputs);
        }
        out.printf(
                Locale.ROOT,
                "%s on %s (%,d samples): loss %s, accuracy %.2f %%%s%n",
                file,
                source,
                metrics.samples(),
                EpochStats.loss(metrics.loss()),
                100.0 * metrics.correct() / metrics.samples(),
                // with no more classes than k, every sample is among its top k
                topK < outputs || outputs == 0
                        ? String.format(
                                Locale.ROOT,
                                ", top-%d accuracy %.2f %%",
                                topK,
                                100.0 * metrics.topKCorrect() / metrics.samples())
                        : "");
        if (bf16Line != null) {
            out.print(bf16Line);
        }
        out.flush();
        return 0;
    }

    /**
     * The features {@code model}'s first layer takes: the first {@code Linear} or {@code SparseLinear}
     * in it (through nested {@code Sequential}s and past a leading {@code Flatten}, which leaves a
     * batch of flat samples as it is), or 0 when another kind of layer comes first.
     */
    static int inputFeatures(Layer model) {
        if (model instanceof Sequential sequential) {
            for (Layer layer : sequential.layers()) {
                if (!(layer instanceof Flatten)) {
                    return inputFeatures(layer);
                }
            }
            return 0;
        }
        int[] shape = weightShape(model);
        return shape == null ? 0 : shape[0];
    }

    /** The outputs of {@code model}'s last {@code Linear} or {@code SparseLinear}, or 0 when another kind of layer is last. */
    static int outputFeatures(Layer model) {
        if (model instanceof Sequential sequential) {
            List<Layer> layers = sequential.layers();
            for (int i = layers.size() - 1; i >= 0; i--) {
                int outputs = outputFeatures(layers.get(i));
                if (outputs > 0) {
                    return outputs;
                }
            }
            return 0;
        }
        int[] shape = weightShape(model);
        return shape == null ? 0 : shape[1];
    }

    /** {@code {in, out}} of a {@code Linear} or a (compressed) {@code SparseLinear}; null for any other layer. */
    private static int[] weightShape(Layer layer) {
        if (layer instanceof SparseLinear sparse) {
            return new int[] {sparse.inFeatures(), sparse.outFeatures()};
        }
        if (layer instanceof Bf16SparseLinear compressed) {
            return new int[] {compressed.inFeatures(), compressed.outFeatures()};
        }
        return layer instanceof Linear linear ? new int[] {linear.inFeatures(), linear.outFeatures()} : null;
    }

    /**
     * How to read a CSV {@code --data} file, and the columns its header must name: as the options say,
     * and for those not given, as the training file was read when the checkpoint says so
     * ({@link TrainCommand#CSV_LAYOUT}), with that file's columns.
     */
    private CsvReading csvReading(Map<String, String> extras) {
        String saved = extras.get(TrainCommand.CSV_LAYOUT);
        if (saved == null) {
            return new CsvReading(dataFile.layout(), List.of());
        }
        try {
            Map<?, ?> json = (Map<?, ?>) JsonCodec.parse(saved);
            return new CsvReading(
                    dataFile.layout().withSavedCsv(json, spec.commandLine().getParseResult()::hasMatchedOption),
                    FileLayout.savedColumns(json));
        } catch (JsonCodec.SyntaxException | ClassCastException | IllegalArgumentException e) {
            throw new UsageException(file + ": how its training file was read cannot be understood (" + e.getMessage()
                    + "); give --label-column, --no-header and --delimiter as in training");
        }
    }

    /** How to read a CSV file for this model, and the header it must have (empty: any). */
    private record CsvReading(FileLayout layout, List<String> columns) {}

    /** The extras of a checkpoint (read once per command), or none for a model file. */
    private static Map<String, String> checkpointExtras(Path file) throws IOException {
        try {
            return Checkpoint.FORMAT.equals(ModelFile.inspect(file).format())
                    ? Checkpoint.read(file).extras()
                    : Map.of();
        } catch (ModelFileException e) {
            throw new UsageException("not a valid model file: " + e.getMessage());
        }
    }

    /**
     * The class labels of the training file, which {@code train --save} keeps with the checkpoint
     * ({@link TrainCommand#CLASS_LABELS}), or null for a model file or an older checkpoint.
     */
    static ClassLabels trainingLabels(Path file) throws IOException {
        return trainingLabels(file, checkpointExtras(file));
    }

    private static ClassLabels trainingLabels(Path file, Map<String, String> extras) {
        String labels = extras.get(TrainCommand.CLASS_LABELS);
        if (labels == null) {
            return null;
        }
        try {
            List<String> names = new ArrayList<>();
            for (Object name : (List<?>) JsonCodec.parse(labels)) {
                names.add(String.valueOf(name));
            }
            return ClassLabels.of(names);
        } catch (JsonCodec.SyntaxException | ClassCastException | IllegalArgumentException e) {
            // an earlier version kept labels such as 1 and 1.0 apart, which now name one class
            throw new UsageException(file + ": its class labels cannot be read (" + e.getMessage() + ")");
        }
    }

    /**
     * The samples {@code --data} names: an IDX folder's test split, or a whole svmlight or CSV file;
     * an svmlight file is read with the model's {@code features} when they are known (0: inferred),
     * since a held-out file need not reach the largest feature index the model was trained with, and
     * a file's classes are numbered as the training file's when {@code trained} gives them (null:
     * by the file's own sorted labels).
     */
    private Dataset read(int features, ClassLabels trained, Map<String, String> extras) throws IOException {
        DataFormat dataFormat;
        try {
            dataFormat = dataFile.format != null
                    ? DataFormat.named(dataFile.format)
                    : data == null || Files.isDirectory(data) ? DataFormat.IDX : DataFormat.of(data);
        } catch (IllegalArgumentException e) {
            throw new UsageException(
                    (dataFile.format != null ? "--format: " : "--data " + data + ": ") + e.getMessage());
        }
        dataFile.layout().requireFits(dataFormat, data != null ? data : DataLocator.resolve(null));
        try {
            return switch (dataFormat) {
                case IDX ->
                    MnistData.load(MnistData.check(DataLocator.resolve(data)), 0)
                            .test();
                case SVMLIGHT -> TrainingData.svmlightForModel(data, dataFile.layout(), features, trained);
                case CSV -> {
                    CsvReading reading = csvReading(extras);
                    yield TrainingData.csvForModel(data, reading.layout(), trained, reading.columns());
                }
            };
        } catch (DataFormatException e) {
            throw new UsageException(e.getMessage());
        } catch (FileNotFoundException | NoSuchFileException e) {
            throw new UsageException("no such file: " + e.getMessage() + "; check the path given to --data");
        }
    }
}
