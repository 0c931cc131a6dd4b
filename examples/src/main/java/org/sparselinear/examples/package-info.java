/**
 * The {@code sparselinear} command-line program ({@link org.sparselinear.examples.SparseLinearCli}):
 * the reference notebook's experiments ({@code demo}, {@code regression}), configurable training
 * runs with JSON records ({@code train}) and the backend report ({@code backends}).
 *
 * <p>{@link org.sparselinear.examples.Trainer} holds the training loop the commands share: each
 * step inside its own {@link org.sparselinear.api.MemoryScope}, evaluation in evaluation mode
 * with gradients off.
 */
package org.sparselinear.examples;
