package org.sparselinear.nn.train;

import org.sparselinear.data.Batch;

/** Checks of what a batch holds, with the trainer's messages. */
final class Batches {

    private Batches() {}

    /** The batch's class labels; fails naming the loss when it holds target vectors instead. */
    static int[] labels(Batch batch, String loss) {
        if (!batch.hasLabels()) {
            throw new IllegalArgumentException("the trainer's loss is " + loss + ", which needs class labels, but the "
                    + "data set has target vectors (regression); use MSELoss, or a data set made with labels "
                    + "(Dataset.of(features, labels, classes))");
        }
        return batch.labels();
    }
}
