package org.sparselinear.data;

import java.io.FileNotFoundException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.sparselinear.spi.Checks;

/**
 * An immutable, in-memory labelled data set: {@code n} samples of a fixed shape (e.g.
 * {@code [1, 28, 28]}) stored row-major as {@code (n, featureCount)} floats, and one class label
 * in {@code [0, classes)} per sample. Load MNIST with {@link #loadIdx}; feed a model through a
 * {@link DataLoader}.
 */
public final class Dataset {

    private final float[] features;
    private final int[] labels;
    private final int[] sampleShape;
    private final int featureCount;
    private final int classes;

    /**
     * A data set from its arrays, which are copied.
     *
     * @param features {@code labels.length * product(sampleShape)} values, sample after sample
     * @param labels one class per sample, in {@code [0, classes)}
     * @param sampleShape the shape of one sample, e.g. {@code {1, 28, 28}}; every entry positive
     * @param classes the number of classes, positive
     */
    public Dataset(float[] features, int[] labels, int[] sampleShape, int classes) {
        this(
                Objects.requireNonNull(features, "features").clone(),
                Objects.requireNonNull(labels, "labels").clone(),
                Objects.requireNonNull(sampleShape, "sampleShape").clone(),
                classes,
                featureCount(sampleShape));
    }

    /** Takes ownership of the arrays; {@code featureCount} is the product of {@code sampleShape}. */
    private Dataset(float[] features, int[] labels, int[] sampleShape, int classes, int featureCount) {
        Checks.positive(classes, "classes");
        Checks.positive(labels.length, "number of samples (labels)");
        long expected = (long) featureCount * labels.length;
        if (expected != features.length) {
            throw new IllegalArgumentException("expected " + labels.length + " samples of shape "
                    + Arrays.toString(sampleShape) + " = " + expected + " feature values, got " + features.length);
        }
        for (int i = 0; i < labels.length; i++) {
            if (labels[i] < 0 || labels[i] >= classes) {
                throw new IllegalArgumentException(
                        "label " + i + " is " + labels[i] + ", expected a class in [0, " + classes + ")");
            }
        }
        this.features = features;
        this.labels = labels;
        this.sampleShape = sampleShape;
        this.featureCount = featureCount;
        this.classes = classes;
    }

    /**
     * Loads one split of an MNIST-style data set from the IDX files in {@code folder}
     * ({@code train-images-idx3-ubyte}, {@code train-labels-idx1-ubyte}, {@code t10k-...}, each
     * plain or with {@code .gz}; the plain file wins when both exist). Pixels become
     * {@code (x / 255 - mean) / std}, as torchvision's {@code ToTensor} then {@code Normalize}
     * (MNIST: mean 0.1307, std 0.3081). Samples have shape {@code [1, rows, columns]}; the number of
     * classes is the largest label plus one (IDX files do not record it).
     *
     * @throws FileNotFoundException when a file is missing; the message lists the files expected and those found
     * @throws DataFormatException when a file is corrupt or holds no samples, or images and labels disagree in
     *     number or shape
     * @throws IOException when a file cannot be read
     */
    public static Dataset loadIdx(Path folder, Split split, float mean, float std) throws IOException {
        Objects.requireNonNull(folder, "folder");
        Objects.requireNonNull(split, "split");
        if (!Float.isFinite(mean)) {
            throw new IllegalArgumentException("mean must be finite, got " + mean);
        }
        Checks.positiveFinite(std, "std");
        Path imagesPath = find(folder, split.imagesFile(), split);
        Path labelsPath = find(folder, split.labelsFile(), split);
        IdxFile images = IdxReader.read(imagesPath);
        IdxFile labelFile = IdxReader.read(labelsPath);
        int[] imageDimensions = images.dimensions();
        if (imageDimensions.length != 3) {
            throw new DataFormatException(imagesPath + ": expected images of dimensions (count, rows, columns), got "
                    + Arrays.toString(imageDimensions));
        }
        if (imageDimensions[1] < 1 || imageDimensions[2] < 1) {
            throw new DataFormatException(imagesPath + ": images of " + imageDimensions[1] + " x " + imageDimensions[2]
                    + " pixels; expected at least 1 x 1");
        }
        if (labelFile.dimensions().length != 1) {
            throw new DataFormatException(labelsPath + ": expected labels of dimensions (count), got "
                    + Arrays.toString(labelFile.dimensions()));
        }
        if (images.count() != labelFile.count()) {
            throw new DataFormatException(split + " split in " + folder + ": " + images.count() + " images but "
                    + labelFile.count() + " labels; the two files must come from the same data set");
        }
        if (images.count() == 0) {
            throw new DataFormatException(imagesPath + " and " + labelsPath + " declare 0 samples; the " + split
                    + " split needs at least one");
        }
        float[] features = new float[images.size()];
        for (int i = 0; i < features.length; i++) {
            features[i] = (images.get(i) / 255f - mean) / std;
        }
        int[] labels = new int[labelFile.count()];
        int classes = 1;
        for (int i = 0; i < labels.length; i++) {
            labels[i] = labelFile.get(i);
            classes = Math.max(classes, labels[i] + 1);
        }
        int[] sampleShape = {1, imageDimensions[1], imageDimensions[2]};
        return new Dataset(features, labels, sampleShape, classes, featureCount(sampleShape));
    }

    private static int featureCount(int[] sampleShape) {
        if (sampleShape.length == 0) {
            throw new IllegalArgumentException(
                    "sampleShape must have at least one dimension, e.g. {784} or {1, 28, 28}");
        }
        long count = 1;
        for (int d = 0; d < sampleShape.length; d++) {
            count *= Checks.positive(sampleShape[d], "sampleShape dimension " + d);
            if (count > Integer.MAX_VALUE - 8) {
                throw new IllegalArgumentException(
                        "sampleShape " + Arrays.toString(sampleShape) + " has more values than one Java array holds");
            }
        }
        return (int) count;
    }

    private static Path find(Path folder, String name, Split split) throws IOException {
        for (Path candidate : List.of(folder.resolve(name), folder.resolve(name + ".gz"))) {
            if (Files.isRegularFile(candidate)) {
                return candidate;
            }
        }
        String found;
        if (Files.isDirectory(folder)) {
            try (Stream<Path> entries = Files.list(folder)) {
                found = entries.map(p -> p.getFileName().toString()).sorted().collect(Collectors.joining(", "));
            }
            found = found.isEmpty() ? "the folder is empty" : "found: " + found;
        } else {
            found = "the folder does not exist";
        }
        throw new FileNotFoundException("no " + name + "[.gz] in " + folder.toAbsolutePath() + " (" + found
                + "). The " + split + " split needs " + split.imagesFile() + "[.gz] and " + split.labelsFile()
                + "[.gz], the MNIST files in IDX format; point to the folder that holds them");
    }

    /** Number of samples. */
    public int size() {
        return labels.length;
    }

    /** Number of values per sample, the product of {@link #sampleShape()}. */
    public int featureCount() {
        return featureCount;
    }

    /** The shape of one sample, e.g. {@code [1, 28, 28]}. */
    public int[] sampleShape() {
        return sampleShape.clone();
    }

    /** Number of classes; every label is below it. */
    public int classes() {
        return classes;
    }

    /** The label of sample {@code index}. */
    public int label(int index) {
        Objects.checkIndex(index, labels.length);
        return labels[index];
    }

    /** A copy of all labels. */
    public int[] labels() {
        return labels.clone();
    }

    /** Copies the {@link #featureCount()} values of sample {@code index} into {@code target} at {@code offset}. */
    public void copyFeatures(int index, float[] target, int offset) {
        Objects.checkIndex(index, labels.length);
        Objects.requireNonNull(target, "target");
        Objects.checkFromIndexSize(offset, featureCount, target.length);
        System.arraycopy(features, index * featureCount, target, offset, featureCount);
    }

    @Override
    public String toString() {
        return "Dataset(size=" + size() + ", sampleShape=" + Arrays.toString(sampleShape) + ", classes=" + classes
                + ")";
    }
}
