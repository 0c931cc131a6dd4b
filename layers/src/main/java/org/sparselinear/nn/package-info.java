/**
 * Layers, losses and optimizers for networks with sparse layers, in the style of PyTorch's
 * {@code torch.nn} and {@code torch.optim}.
 *
 * <pre>{@code
 * Init.manualSeed(0);
 * var model = new Sequential(new Flatten(),
 *         new SparseLinear(784, 2000), new LayerNorm(2000), new ReLU(),
 *         new SparseLinear(2000, 10));
 * var criterion = new CrossEntropyLoss();
 * var optimizer = new SGD(model.parameters(), 0.1, 0.9);
 * for (Batch batch : loader) {
 *     try (MemoryScope step = backend.newScope()) {
 *         optimizer.zeroGrad();
 *         Tensor loss = criterion.forward(model.forward(batch.features(backend)), batch.labels());
 *         loss.backward();
 *         optimizer.step();
 *     }
 * }
 * }</pre>
 *
 * <p>Choices made here where the design is silent:
 * <ul>
 *   <li>Layers compute on {@link org.sparselinear.api.Backends#get()}; {@link org.sparselinear.nn.SparseLinear}
 *       also takes a backend in its options. An input on another backend is an error, not a copy.</li>
 *   <li>Linear layers take inputs of logical shape {@code (N, features)} only; a higher-rank input
 *       is an error that points to {@link org.sparselinear.nn.Flatten} (PyTorch would apply the
 *       layer to the last dimension).</li>
 *   <li>Every layer draws its seed from {@link org.sparselinear.nn.Init#nextSeed()} unless given one;
 *       one seed drives both the connections and the initial values of a sparse layer (connections
 *       first, then weight values, then bias).</li>
 *   <li>User-defined connections are turned into a {@link org.sparselinear.api.Connectivity} here, with
 *       {@link org.sparselinear.api.Connectivity#fromCoo}; the {@code "user"} topology provider is not
 *       consulted, so its parameter names do not matter.</li>
 *   <li>Layers and optimizers must be built outside memory scopes: parameters, their gradients and the
 *       optimizer state are allocated when they are built and must outlive every training step.</li>
 *   <li>An empty {@link org.sparselinear.nn.Sequential} and an optimizer over no parameters are errors; a
 *       sparse layer with no connection (e.g. 2 x 2 at sparsity 0.9) is allowed and outputs its bias.</li>
 *   <li>{@code toString()} of a sparse layer shows the sparsity of the connections actually built, to 4
 *       decimals (equal to the requested one whenever {@code (1 - sparsity) * in * out} is a whole number).</li>
 * </ul>
 */
package org.sparselinear.nn;
