package org.sparselinear.data;

import java.util.Locale;
import java.util.Objects;

/**
 * A training set and its test set read together from two svmlight files ({@link SvmLight#readPair}):
 * the same features, the same classes.
 *
 * @param train the training set
 * @param test the test set, read like the training set
 * @param trainingFileFeatures the features the training file reaches on its own (its largest
 *     index); fewer than {@code train.featureCount()} when the test file reaches further
 */
public record SvmLightPair(LabelledDataset train, LabelledDataset test, int trainingFileFeatures) {

    /** Checks the sets. */
    public SvmLightPair {
        Objects.requireNonNull(train, "train");
        Objects.requireNonNull(test, "test");
    }

    /** Whether the test file reaches features the training file does not, so both were read at its width. */
    public boolean widenedByTest() {
        return train.featureCount() > trainingFileFeatures;
    }

    /**
     * What the test file did to the features, for a report: {@code "features up to index N, beyond
     * the training file's M: both read with N features"}, or empty when it did not widen them.
     */
    public String widening() {
        return widenedByTest()
                ? String.format(
                        Locale.ROOT,
                        "features up to index %,d, beyond the training file's %,d: both read with %,d features",
                        train.featureCount(),
                        trainingFileFeatures,
                        train.featureCount())
                : "";
    }
}
