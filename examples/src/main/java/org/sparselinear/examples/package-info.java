/**
 * The {@code sparselinear} command-line program ({@link org.sparselinear.examples.SparseLinearCli}):
 * the reference notebook's experiments ({@code demo}, {@code regression}), configurable training
 * runs with JSON records ({@code train}, with {@code --save FILE} checkpoints after every epoch
 * and {@code --resume FILE}), the report of a saved model or checkpoint ({@code inspect}) and the
 * backend report ({@code backends}).
 *
 * <p>Every command trains with the layers module's {@link org.sparselinear.nn.train.Trainer} (through
 * {@link org.sparselinear.examples.CliTraining} for the classification commands): each step inside
 * its own {@link org.sparselinear.api.MemoryScope}, evaluation in evaluation mode with gradients
 * off, epoch {@code e} taken from {@code loader.epoch(e)} so that a resumed run replays exactly the
 * batches of an uninterrupted one, and a NaN or infinite loss reported with its step and the first
 * layer whose output went non-finite. A corrupt {@code --resume} or
 * {@code inspect} file is bad input (exit code 2) named down to the tensor or field at fault.
 */
package org.sparselinear.examples;
