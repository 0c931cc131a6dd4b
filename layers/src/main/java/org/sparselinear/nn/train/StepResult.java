package org.sparselinear.nn.train;

/**
 * One optimizer step of {@link Trainer#fit}, as {@link TrainingListener#onStep} sees it.
 *
 * @param epoch the 1-based epoch
 * @param batch the 1-based batch within the epoch
 * @param batches the batches of the epoch
 * @param step the optimizer steps taken in all, this one included
 * @param loss the batch's mean loss, before the update
 * @param samples the samples in the batch
 */
public record StepResult(int epoch, int batch, int batches, long step, float loss, int samples) {}
