package org.sparselinear.nn.train;

/**
 * One epoch of {@link Trainer#fit}: the training pass (loss and accuracy measured on the fly, in
 * training mode, while the parameters change) and the evaluation of the validation set that
 * follows it (in evaluation mode without gradients), or null when the trainer has none.
 *
 * @param epoch 1-based epoch number
 * @param epochs the epochs the run trains in all
 * @param step optimizer steps taken in all at the end of this epoch
 * @param train the training pass
 * @param validation the evaluation of the validation set, or null
 */
public record EpochMetrics(int epoch, int epochs, long step, Metrics train, Metrics validation) {

    /** Whether the epoch was evaluated on a validation set. */
    public boolean hasValidation() {
        return validation != null;
    }
}
