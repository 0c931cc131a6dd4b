/**
 * Loss functions in the style of PyTorch's {@code torch.nn} losses:
 * {@link org.sparselinear.nn.loss.CrossEntropyLoss} for class labels and
 * {@link org.sparselinear.nn.loss.MSELoss} for targets; each returns a scalar
 * {@link org.sparselinear.api.Tensor} to call {@code backward()} on.
 */
package org.sparselinear.nn.loss;
