/**
 * The built-in static topologies, found by {@link org.sparselinear.api.Topologies#byName} through
 * {@code META-INF/services/org.sparselinear.spi.TopologyProvider}.
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
 *   <li>{@code "small-world"} ({@link org.sparselinear.topology.SmallWorldTopology}): the
 *       reference package's bipartite small-world rule. Inputs and outputs sit on a line, the
 *       shorter layer centred; pair {@code (o, i)} at distance {@code d} is connected independently
 *       with probability {@code (d + 1)^-lambda}, {@code lambda} solved by bisection so that the
 *       expected count is {@code round((1 - sparsity) * in * out)}. Optional parameter
 *       {@code "lambda"} fixes it instead. Drawn row by row, exactly, without the {@code in x out}
 *       probability matrix.</li>
 *   <li>{@code "watts-strogatz"} ({@link org.sparselinear.topology.WattsStrogatzTopology}): each
 *       output connects to its {@code k} nearest inputs on a ring, each connection rewired to a
 *       uniformly drawn unconnected input with probability {@code beta}. Optional parameters
 *       {@code "k"} (default {@code max(1, round((1 - sparsity) * in))}) and {@code "beta"} (default
 *       0.1).</li>
 * </ul>
 *
 * <p>All are reproducible: the same arguments and seed give the same pattern, whatever the number
 * of threads that drew it. A third-party topology is added the same way: a jar with a
 * {@link org.sparselinear.spi.TopologyProvider} listed in its
 * {@code META-INF/services/org.sparselinear.spi.TopologyProvider} is found by name (see
 * {@code examples/plugin-banded}).
 *
 * <p>All produce a {@link org.sparselinear.api.Connectivity} of shape {@code (out, in)}: rows
 * are outputs, columns are inputs.
 */
package org.sparselinear.topology;
