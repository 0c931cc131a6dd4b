package org.sparselinear.data;

import java.io.FileNotFoundException;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.NoSuchElementException;
import java.util.Objects;
import java.util.SplittableRandom;
import org.sparselinear.spi.Checks;

/**
 * A data set with random access: {@link #size()} samples, each with dense or sparse features
 * ({@link Sample}) and a target that is a class label or a float vector (regression). Make one
 * from Java arrays ({@link #of}, {@link #ofSparse}), from MNIST-style IDX files
 * ({@link #loadIdx}), sample by sample ({@link #builder}), or by reading a {@link SampleSource}
 * into memory ({@link #collect}); feed a model through a {@link DataLoader}.
 *
 * <p>The in-memory data sets made here are immutable and store their values in chunks, so they
 * may hold more than 2^31 values in total. Implement this interface to serve samples from
 * elsewhere (a database, an indexed file); {@link #get} must then be safe to call from several
 * threads.
 */
public interface Dataset extends SampleSource {

    /** Number of samples. */
    int size();

    /**
     * Sample {@code index}, in {@code [0, size())}. The sample's arrays belong to the caller's copy:
     * reading them is safe while other threads read the data set.
     */
    Sample get(int index);

    /** One pass over the samples in index order; closing it releases nothing. */
    @Override
    default SampleIterator open() {
        return new SampleIterator() {
            private int next;

            @Override
            public boolean hasNext() {
                return next < size();
            }

            @Override
            public Sample next() {
                if (!hasNext()) {
                    throw new NoSuchElementException("all " + size() + " samples were read");
                }
                return get(next++);
            }

            @Override
            public void close() {}
        };
    }

    /**
     * The samples at {@code indices}, in that order (an index may repeat): a view of this data set
     * that copies nothing but the indices.
     *
     * @throws IndexOutOfBoundsException naming the first index outside {@code [0, size())}
     * @throws IllegalArgumentException when {@code indices} is empty
     */
    default Dataset subset(int... indices) {
        Objects.requireNonNull(indices, "indices");
        if (indices.length == 0) {
            throw new IllegalArgumentException("a subset needs at least one index");
        }
        for (int index : indices) {
            Objects.checkIndex(index, size());
        }
        return new SubsetDataset(this, indices.clone());
    }

    /**
     * Cuts this data set in two at random: {@code round(validationFraction * size())} samples held
     * out for validation, the others for training, each part in the data set's order. The same seed
     * gives the same parts.
     *
     * @param validationFraction the share held out, in {@code (0, 1)}
     * @throws IllegalArgumentException when the fraction is outside {@code (0, 1)} or leaves a part empty
     */
    default DatasetSplit split(double validationFraction, long seed) {
        if (!(validationFraction > 0 && validationFraction < 1)) {
            throw new IllegalArgumentException(
                    "the validation fraction must be in (0, 1), e.g. 0.1, got " + validationFraction);
        }
        int n = size();
        int held = (int) Math.round(validationFraction * n);
        if (n < 2) {
            throw new IllegalArgumentException(
                    "a validation split needs at least 2 samples, one for each part; the " + "data set has " + n);
        }
        if (held == 0 || held == n) {
            throw new IllegalArgumentException("a validation fraction of " + validationFraction + " of " + n
                    + " samples leaves " + (held == 0 ? "no validation" : "no training")
                    + " sample; hold out between 1 and " + (n - 1) + " of the " + n + " samples, e.g. 0.1");
        }
        int[] order = Permutation.of(n, new SplittableRandom(seed));
        int[] validation = Arrays.copyOfRange(order, 0, held);
        int[] train = Arrays.copyOfRange(order, held, n);
        Arrays.sort(validation);
        Arrays.sort(train);
        return new DatasetSplit(new SubsetDataset(this, train), new SubsetDataset(this, validation));
    }

    /**
     * Loads one split of an MNIST-style data set from the IDX files in {@code folder}
     * ({@code train-images-idx3-ubyte}, {@code train-labels-idx1-ubyte}, {@code t10k-...}, each
     * plain or with {@code .gz}; the plain file wins when both exist). Pixels become
     * {@code (x / 255 - mean) / std}, as torchvision's {@code ToTensor} then {@code Normalize}
     * (MNIST: mean 0.1307, std 0.3081). Samples are dense with shape {@code [1, rows, columns]};
     * the number of classes is the largest label plus one (IDX files do not record it).
     *
     * @throws FileNotFoundException when a file is missing; the message lists the files expected and those found
     * @throws DataFormatException when a file is corrupt or holds no samples, or images and labels disagree in
     *     number or shape
     * @throws IOException when a file cannot be read
     */
    static Dataset loadIdx(Path folder, Split split, float mean, float std) throws IOException {
        return IdxLoader.load(folder, split, mean, std);
    }

    /**
     * A classification data set from dense rows, which are copied.
     *
     * @param features one row per sample, all of the same positive length
     * @param labels one class per sample, in {@code [0, classes)}
     * @param classes the number of classes, positive
     * @throws IllegalArgumentException naming the first row or label that breaks these rules
     */
    static Dataset of(float[][] features, int[] labels, int classes) {
        Objects.requireNonNull(labels, "labels");
        Checks.positive(classes, "classes");
        DatasetBuilder builder = builder(width(features, labels.length, "labels"), false, classes, 1);
        for (int i = 0; i < features.length; i++) {
            builder.add(Sample.dense(row(features, i, "features"), labels[i]));
        }
        return builder.build();
    }

    /**
     * A classification data set from one row-major array of samples of shape {@code sampleShape}
     * (e.g. {@code {1, 28, 28}} for images), which is copied.
     *
     * @param features {@code labels.length * product(sampleShape)} values, sample after sample
     * @param labels one class per sample, in {@code [0, classes)}
     * @param classes the number of classes, positive
     */
    static Dataset of(float[] features, int[] labels, int[] sampleShape, int classes) {
        Objects.requireNonNull(features, "features");
        Objects.requireNonNull(labels, "labels");
        Checks.positive(classes, "classes");
        Checks.positive(labels.length, "number of samples (labels)");
        SampleSpec spec = new SampleSpec(sampleShape, false, classes, 1);
        int width = spec.featureCount();
        if ((long) width * labels.length != features.length) {
            throw new IllegalArgumentException("expected " + labels.length + " samples of shape "
                    + Arrays.toString(sampleShape) + " = " + (long) width * labels.length + " feature values, got "
                    + features.length);
        }
        DatasetBuilder builder = new DatasetBuilder(spec);
        for (int i = 0; i < labels.length; i++) {
            builder.add(Sample.dense(Arrays.copyOfRange(features, i * width, (i + 1) * width), labels[i]));
        }
        return builder.build();
    }

    /**
     * A regression data set of one target per sample: {@link #of(float[][], float[][])} with each
     * target a vector of one value.
     *
     * @param features one row per sample, all of the same positive length
     * @param targets one value per sample
     */
    static Dataset of(float[][] features, float[] targets) {
        Objects.requireNonNull(targets, "targets");
        float[][] vectors = new float[targets.length][];
        for (int i = 0; i < targets.length; i++) {
            vectors[i] = new float[] {targets[i]};
        }
        return of(features, vectors);
    }

    /**
     * A regression data set from dense rows and their target vectors, which are copied.
     *
     * @param features one row per sample, all of the same positive length
     * @param targets one target vector per sample, all of the same positive length
     */
    static Dataset of(float[][] features, float[][] targets) {
        Objects.requireNonNull(targets, "targets");
        DatasetBuilder builder = builder(width(features, targets.length, "targets"), false, 0, targetWidth(targets));
        for (int i = 0; i < features.length; i++) {
            builder.add(Sample.dense(row(features, i, "features"), row(targets, i, "targets")));
        }
        return builder.build();
    }

    /**
     * A classification data set from sparse rows, which are copied: sample {@code i} has the
     * features {@code indices[i]} (0-based, ascending, each once, below {@code featureCount}) with
     * the values {@code values[i]}.
     *
     * @throws IllegalArgumentException naming the sample and entry that break these rules, or a label
     *     out of {@code [0, classes)}
     */
    static Dataset ofSparse(int featureCount, int[][] indices, float[][] values, int[] labels, int classes) {
        Objects.requireNonNull(labels, "labels");
        Checks.positive(classes, "classes");
        checkSparseRows(indices, values, labels.length, "labels");
        DatasetBuilder builder = builder(featureCount, true, classes, 1);
        for (int i = 0; i < indices.length; i++) {
            builder.add(Sample.sparse(row(indices, i, "indices"), row(values, i, "values"), labels[i]));
        }
        return builder.build();
    }

    /** A regression data set from sparse rows (see {@link #ofSparse(int, int[][], float[][], int[], int)}). */
    static Dataset ofSparse(int featureCount, int[][] indices, float[][] values, float[][] targets) {
        Objects.requireNonNull(targets, "targets");
        checkSparseRows(indices, values, targets.length, "targets");
        DatasetBuilder builder = builder(featureCount, true, 0, targetWidth(targets));
        for (int i = 0; i < indices.length; i++) {
            builder.add(
                    Sample.sparse(row(indices, i, "indices"), row(values, i, "values"), row(targets, i, "targets")));
        }
        return builder.build();
    }

    /**
     * A builder of an in-memory data set: {@link DatasetBuilder#add} samples one by one, then
     * {@link DatasetBuilder#build}.
     *
     * @param featureCount the width of every sample, positive
     * @param sparse whether samples are sparse rows
     * @param classes the number of classes, or 0 when targets are float vectors
     * @param targetWidth 1 with classes; the length of every target vector otherwise
     */
    static DatasetBuilder builder(int featureCount, boolean sparse, int classes, int targetWidth) {
        Checks.positive(featureCount, "featureCount (the width of a sample)");
        return new DatasetBuilder(new SampleSpec(new int[] {featureCount}, sparse, classes, targetWidth));
    }

    /**
     * Reads every sample of {@code source} into memory, in order, closing it afterwards. A source
     * that is already a data set is returned as it is.
     *
     * @throws DataFormatException when the source's content is wrong (the message names the file and line)
     * @throws IOException when the source cannot be read
     */
    static Dataset collect(SampleSource source) throws IOException {
        Objects.requireNonNull(source, "source");
        if (source instanceof Dataset dataset) {
            return dataset;
        }
        DatasetBuilder builder = new DatasetBuilder(SampleSpec.of(source));
        try (SampleIterator samples = source.open()) {
            while (samples.hasNext()) {
                builder.add(samples.next());
            }
        } catch (UncheckedIOException e) {
            throw e.getCause();
        }
        return builder.build();
    }

    private static int width(float[][] features, int count, String what) {
        Objects.requireNonNull(features, "features");
        sameCount(features.length, "feature rows", count, what);
        int width = row(features, 0, "features").length;
        if (width == 0) {
            throw new IllegalArgumentException("features[0] is empty; every sample needs at least one feature");
        }
        return width;
    }

    private static int targetWidth(float[][] targets) {
        sameCount(targets.length, "target rows", targets.length, "targets");
        int width = row(targets, 0, "targets").length;
        if (width == 0) {
            throw new IllegalArgumentException("targets[0] is empty; a target vector needs at least one value");
        }
        return width;
    }

    private static void checkSparseRows(int[][] indices, float[][] values, int count, String what) {
        Objects.requireNonNull(indices, "indices");
        Objects.requireNonNull(values, "values");
        sameCount(indices.length, "index rows", values.length, "value rows");
        sameCount(indices.length, "index rows", count, what);
    }

    private static void sameCount(int count, String what, int otherCount, String other) {
        if (count != otherCount) {
            throw new IllegalArgumentException(
                    "got " + count + " " + what + " and " + otherCount + " " + other + "; expected one per sample");
        }
        if (count == 0) {
            throw new IllegalArgumentException("no samples; a data set needs at least one");
        }
    }

    private static <T> T row(T[] rows, int index, String name) {
        if (rows[index] == null) {
            throw new IllegalArgumentException(name + "[" + index + "] is null; every sample needs one");
        }
        return rows[index];
    }
}
