package org.sparselinear.data;

import java.util.Arrays;
import java.util.Objects;
import org.sparselinear.spi.Checks;

/**
 * What every sample of a data set or source must look like: its shape, dense or sparse features,
 * and class labels or target vectors of a fixed width. Checks a sample against it with a message
 * that names the sample. Immutable.
 */
final class SampleSpec {

    private final int[] sampleShape;
    private final int featureCount;
    private final boolean sparse;
    private final int classes;
    private final int targetWidth;

    /**
     * @throws IllegalArgumentException when the shape is empty or not positive, sparse samples have a
     *     shape of more than one dimension, or the classes and target width disagree
     */
    SampleSpec(int[] sampleShape, boolean sparse, int classes, int targetWidth) {
        this.sampleShape = Objects.requireNonNull(sampleShape, "sampleShape").clone();
        this.featureCount = featureCount(sampleShape);
        if (sparse && sampleShape.length != 1) {
            throw new IllegalArgumentException("sparse samples are rows of " + featureCount
                    + " features; expected a one-dimensional sample shape, got " + Arrays.toString(sampleShape));
        }
        this.sparse = sparse;
        this.classes = Checks.nonNegative(classes, "classes (0 for target vectors)");
        if (classes > 0 && targetWidth != 1) {
            throw new IllegalArgumentException("with class labels (classes = " + classes
                    + ") the target width is 1, got " + targetWidth + "; use classes = 0 for target vectors");
        }
        this.targetWidth = Checks.positive(targetWidth, "target width");
    }

    /** The samples {@code source} declares. */
    static SampleSpec of(SampleSource source) {
        return new SampleSpec(source.sampleShape(), source.isSparse(), source.classes(), source.targetWidth());
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

    int[] sampleShape() {
        return sampleShape.clone();
    }

    int featureCount() {
        return featureCount;
    }

    boolean sparse() {
        return sparse;
    }

    int classes() {
        return classes;
    }

    int targetWidth() {
        return targetWidth;
    }

    /** Whether targets are class labels. */
    boolean labelled() {
        return classes > 0;
    }

    /**
     * Checks that sample number {@code index} fits.
     *
     * @throws IllegalArgumentException naming the sample when it is dense where sparse is expected or
     *     the other way round, has a wrong number of values, sparse indices out of
     *     {@code [0, featureCount)}, unsorted or repeated, a label out of {@code [0, classes)}, or a
     *     target of the wrong kind or width
     */
    void check(Sample sample, long index) {
        Objects.requireNonNull(sample, "sample");
        checkFeatures(sample, index);
        checkTarget(sample, index);
    }

    private void checkFeatures(Sample sample, long index) {
        if (sample.isSparse() != sparse) {
            throw new IllegalArgumentException("sample " + index + " is " + kind(sample.isSparse())
                    + " but the data set holds " + kind(sparse) + " samples; give every sample the same kind");
        }
        if (!sparse) {
            if (sample.values().length != featureCount) {
                throw new IllegalArgumentException("sample " + index + " has " + sample.values().length
                        + " feature values, expected " + featureCount + " (the data set's width)");
            }
            requireFinite(sample.values(), null, index, "feature");
            return;
        }
        requireFinite(sample.values(), sample.indices(), index, "feature");
        int[] indices = sample.indices();
        for (int k = 0; k < indices.length; k++) {
            int feature = indices[k];
            if (feature < 0 || feature >= featureCount) {
                throw new IllegalArgumentException("sample " + index + ": entry " + k + " has feature index "
                        + feature + ", expected [0, " + featureCount
                        + ") (0-based indices below the data set's width)");
            }
            if (k > 0 && feature <= indices[k - 1]) {
                throw new IllegalArgumentException("sample " + index + ": entry " + k + " has feature index " + feature
                        + " after " + indices[k - 1] + "; indices must be ascending, each feature once");
            }
        }
    }

    private static String kind(boolean sparse) {
        return sparse ? "sparse" : "dense";
    }

    private void checkTarget(Sample sample, long index) {
        if (classes > 0) {
            if (!sample.hasLabel()) {
                throw new IllegalArgumentException("sample " + index + " has a target vector, but the data set holds "
                        + "class labels in [0, " + classes + "); give every sample a label");
            }
            if (sample.label() < 0 || sample.label() >= classes) {
                throw new IllegalArgumentException("sample " + index + " has label " + sample.label()
                        + ", expected a class in [0, " + classes + ")");
            }
        } else {
            if (sample.hasLabel()) {
                throw new IllegalArgumentException("sample " + index + " has a class label, but the data set holds "
                        + "target vectors of " + targetWidth + " values; give every sample a target vector");
            }
            if (sample.target().length != targetWidth) {
                throw new IllegalArgumentException("sample " + index + " has a target of " + sample.target().length
                        + " values, expected " + targetWidth);
            }
            requireFinite(sample.target(), null, index, "target");
        }
    }

    /**
     * Refuses a NaN or infinite value, as the file readers do: it would turn every loss and gradient it
     * reaches into NaN. {@code indices} name the features of sparse values (null: positions).
     */
    private static void requireFinite(float[] values, int[] indices, long index, String what) {
        for (int k = 0; k < values.length; k++) {
            if (!Float.isFinite(values[k])) {
                throw new IllegalArgumentException(
                        "sample " + index + ": " + what + " " + (indices == null ? k : indices[k])
                                + " is " + values[k] + "; values must be finite: fill in or drop missing values before "
                                + "building the data set");
            }
        }
    }
}
