package org.sparselinear.nn;

import org.sparselinear.io.Checkpoint;

/**
 * Where a training run stands, as a {@link Checkpoint} records it: a loop that resumes from it
 * skips what was done and continues exactly where the run stopped. With a
 * {@link org.sparselinear.data.DataLoader} built with {@code shuffleSeed}, the next batches are
 * {@code loader.epoch(completedEpochs + 1, batchesIntoEpoch)}.
 *
 * @param completedEpochs epochs finished (their after-epoch hooks run), >= 0
 * @param batchesIntoEpoch batches of the next epoch already trained, >= 0 (0 at an epoch boundary)
 * @param step optimizer steps taken in all, >= 0
 * @param shuffleSeed the seed of the training loader's shuffling
 */
public record TrainingProgress(int completedEpochs, int batchesIntoEpoch, long step, long shuffleSeed) {

    /** Checks that the counts are not negative. */
    public TrainingProgress {
        if (completedEpochs < 0 || batchesIntoEpoch < 0 || step < 0) {
            throw new IllegalArgumentException("training progress counts must be >= 0, got completedEpochs="
                    + completedEpochs + ", batchesIntoEpoch=" + batchesIntoEpoch + ", step=" + step);
        }
    }

    /** The progress at the end of epoch {@code epoch} (1-based) after {@code step} steps in all. */
    public static TrainingProgress afterEpoch(int epoch, long step, long shuffleSeed) {
        return new TrainingProgress(epoch, 0, step, shuffleSeed);
    }
}
