/**
 * Optimizers in the style of PyTorch's {@code torch.optim}: {@link org.sparselinear.nn.optim.SGD},
 * {@link org.sparselinear.nn.optim.Adam} and {@link org.sparselinear.nn.optim.AdamW} behind the
 * {@link org.sparselinear.nn.optim.Optimizer} interface; learning-rate schedules
 * ({@link org.sparselinear.nn.optim.LearningRateSchedule}, applied between steps by a
 * {@link org.sparselinear.nn.optim.LearningRateScheduler}) and gradient clipping by global norm
 * ({@link org.sparselinear.nn.optim.GradientClipping}). Their state (velocities, moments) lives on the parameters' backend, follows a sparse
 * layer's connections when it is rewired, and is saved in and resumed from a
 * {@link org.sparselinear.io.Checkpoint}.
 */
package org.sparselinear.nn.optim;
