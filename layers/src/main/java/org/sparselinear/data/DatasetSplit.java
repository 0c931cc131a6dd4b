package org.sparselinear.data;

import java.util.Objects;

/**
 * A data set cut in two disjoint parts, e.g. for training and validation; see
 * {@link Dataset#split(double, long)}.
 *
 * @param train the larger part, to train on
 * @param validation the part held out
 */
public record DatasetSplit(Dataset train, Dataset validation) {

    /** Checks that both parts are given. */
    public DatasetSplit {
        Objects.requireNonNull(train, "train");
        Objects.requireNonNull(validation, "validation");
    }
}
