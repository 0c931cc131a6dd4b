package org.sparselinear.examples;

import java.io.FileNotFoundException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import org.sparselinear.data.ClassLabels;
import org.sparselinear.data.Csv;
import org.sparselinear.data.CsvOptions;
import org.sparselinear.data.DataFormat;
import org.sparselinear.data.DataFormatException;
import org.sparselinear.data.Dataset;
import org.sparselinear.data.DatasetSplit;
import org.sparselinear.data.LabelledDataset;
import org.sparselinear.data.SvmLight;
import org.sparselinear.data.SvmLightOptions;
import org.sparselinear.data.SvmLightPair;

/**
 * The training and test sets of a run, read from an MNIST-style IDX folder, an svmlight/LIBSVM
 * file or a CSV file (plain or {@code .gz}), with the test set from its own file or split off the
 * training file at random (seeded).
 *
 * @param train the samples to train on
 * @param test the samples to evaluate on
 * @param trainSource where the training samples came from, for reports
 * @param testSource where the test samples came from
 * @param classLabels the name of each class (the labels as written in the file)
 * @param columns the header of a CSV training file, which a held-out file must repeat; empty otherwise
 */
public record TrainingData(
        Dataset train,
        Dataset test,
        String trainSource,
        String testSource,
        ClassLabels classLabels,
        List<String> columns) {

    /** Sets read from files without column names (IDX, svmlight). */
    public TrainingData(Dataset train, Dataset test, String trainSource, String testSource, ClassLabels classLabels) {
        this(train, test, trainSource, testSource, classLabels, List.of());
    }

    /** How to read the files: the {@code train} options that say where the data is and how it is laid out. */
    record Request(Path data, DataFormat format, Path test, double validationSplit, FileLayout layout, long seed) {

        /** The format of {@link #data}: the one given, else the one its name says. */
        DataFormat dataFormat() {
            return format != null ? format : formatOf(data);
        }
    }

    /**
     * Reads the data a {@link Request} names.
     *
     * @throws UsageException with one line (the file, the line and the problem) when a file is missing or malformed
     */
    static TrainingData read(Request request, int limit) throws IOException {
        DataFormat format = request.dataFormat();
        request.layout().requireFits(format, request.data());
        TrainingData data;
        try {
            data = switch (format) {
                case IDX -> idx(request);
                case SVMLIGHT ->
                    svmlightTestFile(request)
                            ? svmlightWithTestFile(request)
                            : files(request, svmlight(request, request.data(), null));
                case CSV -> files(request, csv(request, request.data(), null));
            };
        } catch (DataFormatException e) {
            throw new UsageException(e.getMessage());
        } catch (FileNotFoundException | NoSuchFileException e) {
            throw new UsageException("no such file: " + e.getMessage() + "; check the path given to --data or --test");
        }
        requireClasses(data.train(), data.trainSource());
        return limit > 0 ? data.limited(limit) : data;
    }

    /**
     * Refuses a training set of fewer than two classes: a classifier trained on it scores 100 % on
     * any data of that class and learns nothing.
     */
    private static void requireClasses(Dataset train, String source) {
        if (train.classes() == 1) {
            throw new UsageException(source + ": every training sample has the same label, so there is nothing to "
                    + "classify; a classifier needs samples of at least two classes");
        }
    }

    private static DataFormat formatOf(Path data) {
        try {
            return DataFormat.of(data);
        } catch (IllegalArgumentException e) {
            throw new UsageException("--data " + data + ": " + e.getMessage());
        }
    }

    private static TrainingData idx(Request request) throws IOException {
        if (request.test() != null || request.validationSplit() > 0) {
            throw new UsageException("--data " + request.data() + " is an IDX folder, which holds its own test split; "
                    + "--test and --validation-split apply to svmlight and CSV files");
        }
        MnistData mnist = MnistData.load(MnistData.check(request.data()), 0);
        String folder = request.data().toString();
        return new TrainingData(mnist.train(), mnist.test(), folder, folder, ClassLabels.none());
    }

    /** A training file with its test file (read like it: same features, same class numbering) or held-out part. */
    private static TrainingData files(Request request, LabelledDataset train) throws IOException {
        String source = request.data().toString();
        if (request.test() != null) {
            if (request.validationSplit() > 0) {
                throw new UsageException("give either --test FILE or --validation-split F, not both");
            }
            DataFormat testFormat = formatOf(request.test());
            request.layout().requireFits(testFormat, request.test());
            LabelledDataset test =
                    switch (testFormat) {
                        case SVMLIGHT -> svmlight(request, request.test(), train);
                        case CSV -> csv(request, request.test(), train);
                        case IDX ->
                            throw new UsageException("--test " + request.test()
                                    + " is a folder; give a file in the training file's format");
                    };
            return new TrainingData(
                    train, test, source, request.test().toString(), train.classLabels(), train.header());
        }
        if (request.validationSplit() > 0) {
            DatasetSplit split;
            try {
                split = train.split(request.validationSplit(), request.seed());
            } catch (IllegalArgumentException e) {
                throw new UsageException(
                        "--validation-split " + request.validationSplit() + " on " + source + ": " + e.getMessage());
            }
            String held = String.format(
                    Locale.ROOT,
                    "%s (%.0f %% held out, seed %d)",
                    source,
                    100 * request.validationSplit(),
                    request.seed());
            return new TrainingData(
                    split.train(), split.validation(), source, held, train.classLabels(), train.header());
        }
        throw new UsageException("--data " + source + " is a single file: say what to evaluate on with --test FILE "
                + "(a file in the same format) or --validation-split F (e.g. 0.1 holds out 10 % at random)");
    }

    /** Whether {@code request} names an svmlight test file to go with its svmlight training file. */
    private static boolean svmlightTestFile(Request request) {
        return request.test() != null
                && request.validationSplit() == 0
                && formatOf(request.test()) == DataFormat.SVMLIGHT;
    }

    private static TrainingData svmlightWithTestFile(Request request) throws IOException {
        SvmLightFiles pair =
                svmlightPair(request.data(), request.test(), request.layout().svmlightOptions());
        return new TrainingData(
                pair.train(),
                pair.test(),
                request.data().toString(),
                pair.testSource(),
                pair.train().classLabels());
    }

    /**
     * An svmlight training set and its test set, read with the same features and classes.
     *
     * @param testSource the test file's name, and when it widened the features, by how much
     */
    record SvmLightFiles(LabelledDataset train, LabelledDataset test, String testSource) {}

    /**
     * Reads an svmlight training file and its test file with the same features and classes
     * ({@link SvmLight#readPair}: at the larger of the two files' widths); the test source says
     * when the test file widened them.
     */
    static SvmLightFiles svmlightPair(Path trainFile, Path testFile, SvmLightOptions options) throws IOException {
        requireFile(trainFile);
        requireFile(testFile);
        SvmLightPair pair = SvmLight.readPair(trainFile, testFile, options);
        String testSource = pair.widenedByTest() ? testFile + " (" + pair.widening() + ")" : testFile.toString();
        return new SvmLightFiles(pair.train(), pair.test(), testSource);
    }

    /**
     * An svmlight file read for a trained model: with {@code features} features (0: the largest
     * index in it) and the training file's {@code classes} (null: the file's own sorted labels).
     */
    static LabelledDataset svmlightForModel(Path file, FileLayout layout, int features, ClassLabels classes)
            throws IOException {
        requireFile(file);
        SvmLightOptions options = layout.svmlightOptions().withFeatureCount(features);
        return SvmLight.read(file, classes != null ? options.withClassLabels(classes) : options);
    }

    private static LabelledDataset svmlight(Request request, Path file, LabelledDataset like) throws IOException {
        requireFile(file);
        SvmLightOptions options = request.layout().svmlightOptions();
        return SvmLight.read(file, like != null ? options.likeTrainingSet(like) : options);
    }

    private static LabelledDataset csv(Request request, Path file, LabelledDataset like) throws IOException {
        CsvOptions options = request.layout().csvOptions(file);
        return csv(file, like != null ? options.likeTrainingSet(like) : options);
    }

    /**
     * A CSV file read for a trained model: with the training file's {@code classes} (null: the file's own sorted
     * labels) and, when {@code columns} is not empty, the training file's header, which the file must repeat.
     */
    static LabelledDataset csvForModel(Path file, FileLayout layout, ClassLabels classes, List<String> columns)
            throws IOException {
        CsvOptions options = layout.csvOptions(file);
        if (classes != null) {
            options = options.withClassLabels(classes);
        }
        return csv(file, columns.isEmpty() || !options.hasHeader() ? options : options.withExpectedHeader(columns));
    }

    /**
     * Reads a CSV file; options that do not fit it (a label column index beyond its columns, a
     * column name its header lacks) are bad input, said in one line.
     */
    private static LabelledDataset csv(Path file, CsvOptions options) throws IOException {
        requireFile(file);
        try {
            return Csv.read(file, options);
        } catch (IllegalArgumentException e) {
            throw new UsageException(file + ": " + e.getMessage());
        }
    }

    private static void requireFile(Path file) {
        if (Files.isDirectory(file)) {
            throw new UsageException(file + " is a folder; give a file, or --format idx for an IDX folder");
        }
        if (!Files.isRegularFile(file)) {
            throw new UsageException(file + ": no such file; check the path");
        }
    }

    /** The first {@code limit} samples of each set. */
    TrainingData limited(int limit) {
        return new TrainingData(
                MnistData.first(train, limit),
                MnistData.first(test, limit),
                trainSource,
                testSource,
                classLabels,
                columns);
    }

    /** One line on what was read: samples, features, non-zeros per sample for sparse data, classes. */
    public String summary() {
        return String.format(
                Locale.ROOT,
                "read %s: %,d training samples; %s: %,d test samples; %,d features%s, %d classes",
                trainSource,
                train.size(),
                testSource,
                test.size(),
                train.featureCount(),
                train.isSparse()
                        ? String.format(Locale.ROOT, " (sparse, %.1f non-zeros per sample)", nonZerosPerSample(train))
                        : "",
                train.classes());
    }

    /** The mean number of stored values per sample. */
    static double nonZerosPerSample(Dataset data) {
        long total = 0;
        for (int i = 0; i < data.size(); i++) {
            total += data.get(i).nnz();
        }
        return data.size() == 0 ? 0 : (double) total / data.size();
    }
}
