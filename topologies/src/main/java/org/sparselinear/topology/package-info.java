/**
 * The built-in static topologies, found by {@link org.sparselinear.api.Topologies#byName} through
 * {@code META-INF/services/org.sparselinear.api.TopologyProvider}.
 *
 * <ul>
 *   <li>{@code "random"} ({@link org.sparselinear.topology.RandomTopology}): exactly
 *       {@code round((1 - sparsity) * in * out)} distinct connections, every subset of that size
 *       equally likely, reproducible per seed, generated in O(nnz) time and memory. No parameters.</li>
 *   <li>{@code "user"} ({@link org.sparselinear.topology.UserTopology}): the connections the user
 *       lists, as a {@code (2, nnz)} array of row (output) and column (input) indices, the layout of
 *       PyTorch's {@code connectivity} argument. Parameter {@code "indices"}: an {@code int[][]} or a
 *       {@code long[][]} (what an int64 PyTorch tensor converts to). Sparsity and seed are ignored:
 *       the pattern is exactly the one given. The layer's {@code in} and {@code out} must be large
 *       enough for the largest indices; {@code UserTopology.of(Connectivity)} pins the shape
 *       exactly instead.</li>
 * </ul>
 *
 * <p>Both produce a {@link org.sparselinear.api.Connectivity} of shape {@code (out, in)}: rows
 * are outputs, columns are inputs.
 */
package org.sparselinear.topology;
