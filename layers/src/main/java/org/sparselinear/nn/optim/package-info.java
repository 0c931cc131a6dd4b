/**
 * Optimizers in the style of PyTorch's {@code torch.optim}: {@link org.sparselinear.nn.optim.SGD}
 * and {@link org.sparselinear.nn.optim.Adam} behind the {@link org.sparselinear.nn.optim.Optimizer}
 * interface. Their state (velocities, moments) lives on the parameters' backend, follows a sparse
 * layer's connections when it is rewired, and is saved in and resumed from a
 * {@link org.sparselinear.io.Checkpoint}.
 */
package org.sparselinear.nn.optim;
