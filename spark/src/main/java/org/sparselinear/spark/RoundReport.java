package org.sparselinear.spark;

/**
 * What one round of {@link ParameterAveraging} cost: its wall time on the driver (broadcast,
 * tasks, aggregation, averaging, rewiring, checkpoint) and the longest time a partition spent in
 * its local steps; the difference is the time spent in Spark rather than in training.
 *
 * @param round the round number, from 1
 * @param lastStep the global optimizer step the round ended at
 * @param partitions the partitions that trained in it
 * @param wallNanos the round's wall time on the driver
 * @param trainingNanos the longest local training time of a partition
 */
public record RoundReport(int round, long lastStep, int partitions, long wallNanos, long trainingNanos) {

    /** The round's time outside the local steps, in nanoseconds. */
    public long overheadNanos() {
        return Math.max(0, wallNanos - trainingNanos);
    }
}
