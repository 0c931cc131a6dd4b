package org.sparselinear.data;

import java.util.List;

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

    /**
     * The column names of a CSV file's header line, in the file's order; empty for a file without
     * one (svmlight, or CSV read without a header). {@link CsvOptions#likeTrainingSet} checks a
     * test file's header against them, since columns are matched by position.
     */
    default List<String> header() {
        return List.of();
    }
}
