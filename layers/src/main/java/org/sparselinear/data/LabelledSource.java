package org.sparselinear.data;

/**
 * A {@link SampleSource} read from a file whose class labels are its own (e.g. {@code -1/+1}, or
 * {@code 1..k}, or words): {@link #classLabels()} turns a sample's class number back into the
 * file's label. What {@link SvmLight} and {@link Csv} return, streamed or in memory; pass a
 * training set to {@link SvmLightOptions#likeTrainingSet} or {@link CsvOptions#likeTrainingSet} to
 * read its test set with the same classes and features.
 */
public interface LabelledSource extends SampleSource {

    /** The file's label of each class; {@link ClassLabels#none()} for regression targets. */
    ClassLabels classLabels();
}
