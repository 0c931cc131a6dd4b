package org.sparselinear.data;

import java.util.Objects;
import org.sparselinear.spi.Checks;

/**
 * How {@link SvmLight} reads a file: the number of features (given, or inferred as the largest
 * index), whether indices start at 1 (the format's rule, the default) or 0, and whether the
 * first field of a line is a class label (the default) or a float target (regression). Immutable:
 * each {@code with...} method returns a changed copy.
 *
 * <p>A test set must be read with its training set's features and classes, or class numbers and
 * feature positions would disagree between the two: {@link #likeTrainingSet} takes both from the
 * training set. Its labels must then all be labels of the training set, and its indices within the
 * training set's features; anything else is an error naming the line.
 */
public final class SvmLightOptions {

    private static final SvmLightOptions DEFAULTS = new SvmLightOptions(0, false, false, null);

    private final int featureCount;
    private final boolean zeroBased;
    private final boolean regression;
    private final ClassLabels classLabels;

    private SvmLightOptions(int featureCount, boolean zeroBased, boolean regression, ClassLabels classLabels) {
        this.featureCount = featureCount;
        this.zeroBased = zeroBased;
        this.regression = regression;
        this.classLabels = classLabels;
    }

    /**
     * The defaults: features inferred (the largest index), 1-based indices, integer class labels
     * numbered in sorted order (see {@link ClassLabels}).
     */
    public static SvmLightOptions defaults() {
        return DEFAULTS;
    }

    /**
     * The options that read a test set like {@code training}: its number of features, and its class
     * labels (or regression, when it has target values instead of classes); indices as in these
     * options.
     *
     * @throws IllegalArgumentException when the training set's targets are vectors wider than one value,
     *     which an svmlight line cannot hold
     */
    public SvmLightOptions likeTrainingSet(LabelledSource training) {
        Objects.requireNonNull(training, "training");
        if (training.classes() == 0 && training.targetWidth() != 1) {
            throw new IllegalArgumentException("the training set has targets of " + training.targetWidth()
                    + " values; an svmlight line holds one target, so its test set cannot be read as svmlight");
        }
        boolean targets = training.classes() == 0;
        return new SvmLightOptions(
                training.featureCount(), zeroBased, targets, targets ? null : training.classLabels());
    }

    /** These options with {@code featureCount} features (indices above are an error); 0 infers it from the file. */
    public SvmLightOptions withFeatureCount(int featureCount) {
        Checks.nonNegative(featureCount, "feature count (0 to infer it)");
        return new SvmLightOptions(featureCount, zeroBased, regression, classLabels);
    }

    /** These options with indices that start at 0 ({@code true}) or at 1, the svmlight rule ({@code false}). */
    public SvmLightOptions withZeroBased(boolean zeroBased) {
        return new SvmLightOptions(featureCount, zeroBased, regression, classLabels);
    }

    /**
     * These options reading the first field as a float target (regression, a target of one value)
     * or as an integer class label.
     */
    public SvmLightOptions withRegression(boolean regression) {
        return new SvmLightOptions(featureCount, zeroBased, regression, regression ? null : classLabels);
    }

    /**
     * These options with fixed classes: class {@code c} is the label {@code classLabels.name(c)},
     * and a label not among them is an error. Implies classification.
     */
    public SvmLightOptions withClassLabels(ClassLabels classLabels) {
        Objects.requireNonNull(classLabels, "classLabels");
        if (classLabels.size() == 0) {
            throw new IllegalArgumentException("no class labels given; for target values use withRegression(true)");
        }
        return new SvmLightOptions(featureCount, zeroBased, false, classLabels);
    }

    /** The number of features; 0 when it is inferred from the file. */
    public int featureCount() {
        return featureCount;
    }

    /** Whether indices start at 0 rather than 1. */
    public boolean zeroBased() {
        return zeroBased;
    }

    /** Whether the first field is a float target rather than a class label. */
    public boolean regression() {
        return regression;
    }

    /** The fixed classes, or null when they are inferred from the file's labels. */
    public ClassLabels classLabels() {
        return classLabels;
    }

    @Override
    public String toString() {
        return "SvmLightOptions(featureCount=" + (featureCount == 0 ? "inferred" : featureCount) + ", "
                + (zeroBased ? "0" : "1") + "-based, "
                + (regression ? "regression" : "classes=" + (classLabels == null ? "inferred" : classLabels)) + ")";
    }
}
