package org.sparselinear.data;

import java.io.IOException;
import java.nio.file.Path;
import java.util.Objects;

/**
 * Reads svmlight/LIBSVM files (Joachims, "Making large-scale SVM learning practical", 1999; the
 * format of LIBSVM, Chang and Lin, 2011, and of scikit-learn's {@code load_svmlight_file}): one
 * sample per line, {@code label [qid:N] index:value index:value ... [# comment]}, sparse features
 * with 1-based indices in ascending order. Samples are sparse rows; their batches upload as a
 * {@link org.sparselinear.api.SparseTensor}.
 *
 * <pre>{@code
 * LabelledDataset train = SvmLight.read(Path.of("train.svm.gz"));
 * LabelledDataset test = SvmLight.read(Path.of("test.svm.gz"), SvmLightOptions.defaults().likeTrainingSet(train));
 * SvmLightPair both = SvmLight.readPair(Path.of("train.svm.gz"), Path.of("test.svm.gz")); // at the wider width
 * }</pre>
 *
 * <p>Choices: a {@code .gz} file (recognised by its content) is decompressed while it is read;
 * blank lines and {@code #} comments are skipped; {@code qid:N} (the query id of ranking data) is
 * accepted and ignored; explicit zero values are kept as stored entries. Class labels are integers,
 * numbered in sorted order (labels already {@code 0..k-1} keep their value; {@code -1/+1} become
 * 0 and 1; see {@link ClassLabels}), and the mapping is the result's {@link
 * LabelledSource#classLabels()}. With {@link SvmLightOptions#withRegression} the label is a float
 * target instead. The number of features is given, or the largest index in the file.
 *
 * <p>Every problem is a {@link DataFormatException} of one line that names the file, the line and
 * what is wrong: a bad number (with the token), index 0 in a 1-based file, indices out of order
 * or repeated, an index beyond the given number of features, a label the training set does not
 * have, a truncated or corrupt {@code .gz}.
 */
public final class SvmLight {

    private SvmLight() {}

    /** Reads {@code file} into memory with the {@linkplain SvmLightOptions#defaults() default options}. */
    public static LabelledDataset read(Path file) throws IOException {
        return read(file, SvmLightOptions.defaults());
    }

    /**
     * Reads {@code file} into memory in one pass; an inferred number of features or set of classes
     * is known once the whole file is read.
     *
     * @throws DataFormatException naming the file and line when the content is not valid
     * @throws IOException when the file cannot be read
     */
    public static LabelledDataset read(Path file, SvmLightOptions options) throws IOException {
        Objects.requireNonNull(file, "file");
        Objects.requireNonNull(options, "options");
        PendingSamples samples = new PendingSamples(file, true);
        try (SvmLightReader reader = new SvmLightReader(file, options, options.featureCount())) {
            while (reader.next()) {
                SvmLightLine line = reader.line();
                if (options.regression()) {
                    samples.add(line.indices(), line.values(), new float[] {line.target()});
                } else {
                    samples.add(line.indices(), line.values(), Long.toString(line.label()));
                }
            }
            return samples.build(reader.featureCount(), reader.classLabels(), 1);
        }
    }

    /**
     * Reads a training file and its test file with the same features and classes, as scikit-learn's
     * {@code load_svmlight_files} reads several files: the number of features is the larger of the
     * two files' (unless {@code options} gives it), so a test file that names features the training
     * file never uses (common where the features were numbered over all the data, or the files are
     * two random parts of one) is read rather than refused, and those features have no training
     * samples. The classes are the training file's ({@link SvmLightOptions#likeTrainingSet}); a test
     * label outside them is an error. The test file is read twice when the number of features is
     * inferred, the training file twice when the test file reaches further.
     *
     * @throws DataFormatException naming the file and line when either file's content is not valid
     * @throws IOException when a file cannot be read
     */
    public static SvmLightPair readPair(Path trainFile, Path testFile, SvmLightOptions options) throws IOException {
        Objects.requireNonNull(testFile, "testFile");
        LabelledDataset train = read(trainFile, options);
        int trainingFileFeatures = train.featureCount();
        if (options.featureCount() == 0) {
            int testFeatures = read(testFile, options).featureCount();
            if (testFeatures > trainingFileFeatures) {
                train = read(trainFile, options.withFeatureCount(testFeatures));
            }
        }
        return new SvmLightPair(train, read(testFile, options.likeTrainingSet(train)), trainingFileFeatures);
    }

    /** {@link #readPair(Path, Path, SvmLightOptions)} with the {@linkplain SvmLightOptions#defaults() default options}. */
    public static SvmLightPair readPair(Path trainFile, Path testFile) throws IOException {
        return readPair(trainFile, testFile, SvmLightOptions.defaults());
    }

    /**
     * A source that reads {@code file} anew on each pass without holding it, for files larger than
     * memory. When the options leave the number of features or the classes to be inferred, this
     * call reads the whole file once to find them (and to check every line); give both (e.g.
     * {@link SvmLightOptions#likeTrainingSet}) to skip that pass.
     *
     * @throws DataFormatException naming the file and line when that first pass finds invalid content
     * @throws IOException when the file cannot be read
     */
    public static SvmLightSource stream(Path file, SvmLightOptions options) throws IOException {
        Objects.requireNonNull(file, "file");
        Objects.requireNonNull(options, "options");
        boolean known = options.featureCount() > 0 && (options.regression() || options.classLabels() != null);
        if (known) {
            return new SvmLightSource(file, options, options.featureCount(), classLabels(options));
        }
        try (SvmLightReader reader = new SvmLightReader(file, options, options.featureCount())) {
            reader.skipToEnd();
            return new SvmLightSource(file, options, reader.featureCount(), reader.classLabels());
        }
    }

    private static ClassLabels classLabels(SvmLightOptions options) {
        return options.regression() ? ClassLabels.none() : options.classLabels();
    }
}
