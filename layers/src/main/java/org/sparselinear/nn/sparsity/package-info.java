/**
 * Sparse training: the rewiring rules {@link org.sparselinear.nn.sparsity.RigL} and
 * {@link org.sparselinear.nn.sparsity.SET}, which drop and grow a sparse layer's connections during
 * training at a constant connection count, and {@link org.sparselinear.nn.sparsity.LayerSparsity},
 * how the connections of a model are spread over its layers.
 */
package org.sparselinear.nn.sparsity;
