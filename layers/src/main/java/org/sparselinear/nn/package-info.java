/**
 * Layers and models for networks with sparse layers, in the style of PyTorch's {@code torch.nn};
 * the losses are in {@link org.sparselinear.nn.loss}, the optimizers in
 * {@link org.sparselinear.nn.optim} and the rewiring rules in {@link org.sparselinear.nn.sparsity}.
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
 * <p>Choices made here:
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
 *
 * <h2>Saving, loading and resuming</h2>
 * {@link org.sparselinear.io.ModelFile} saves and loads models in the safetensors format, with the tensor
 * names of a PyTorch {@code state_dict} ({@code "1.indices"}, {@code "1.weights"}, {@code "1.bias"} for a
 * sparse layer, as the reference package names them) and a JSON description of the layers in the metadata,
 * so that {@code load} rebuilds the model and {@code loadInto} fills one built in code;
 * {@code loadStateDict} reads a PyTorch {@code state_dict} without that description. Every layer and
 * optimizer describes itself through {@link org.sparselinear.io.Saveable} and is read back by the
 * provider registered for its kind ({@link org.sparselinear.io.Providers}), so a third party's layer or
 * optimizer saves and resumes like these (schema: {@code docs/MODEL-FORMAT.md}).
 * {@link org.sparselinear.io.Checkpoint} adds the optimizer state and the
 * {@link org.sparselinear.nn.TrainingProgress}. A run resumes bit for bit when its loop takes epoch
 * {@code e} from {@code loader.epoch(e)} and calls the {@link org.sparselinear.nn.TrainingHooks}: every
 * random stream (shuffling, rewiring) depends only on a seed and the epoch or step number, all of which
 * the checkpoint holds. Writes go to a temporary file that is synced and renamed; reads check every byte
 * before use and fail with {@link org.sparselinear.io.ModelFileException} naming the tensor or field.
 * {@link org.sparselinear.nn.Divergence} checks the loss each step and names the first layer whose output
 * went NaN or infinite ({@link org.sparselinear.nn.TrainingDivergedException}).
 *
 * <h2>Device memory and moving a model</h2>
 * Layers, models and optimizers are {@link java.lang.AutoCloseable}: {@code close()} frees their device
 * memory (parameters and gradients, sparse patterns, K-Winners duty cycles, optimizer state); closing twice
 * does nothing, and using a closed one fails with an {@link java.lang.IllegalStateException} saying so. A
 * model's {@code close()} closes its layers, not the optimizers built on its parameters: close those too.
 * {@code model.to(backend)} returns an independent copy on another backend with bit for bit the same
 * parameters, connections, state and training modes (see {@link org.sparselinear.nn.AbstractLayer#to});
 * optimizer state does not move, so build a new optimizer on the copy's parameters.
 *
 * <h2>Threads</h2>
 * <ul>
 *   <li>Safe to share between threads: {@link org.sparselinear.api.Backends}; a backend's operations on
 *       distinct matrices (the CPU backend's worker pool serves several callers at once; memory scopes and
 *       {@link org.sparselinear.api.GradMode} are per thread); {@link org.sparselinear.nn.Init} (the global
 *       seed sequence is synchronized, {@link org.sparselinear.nn.Init#withSeed} is per thread); the static
 *       methods of {@link org.sparselinear.io.ModelFile} and {@link org.sparselinear.io.Checkpoint}; the
 *       losses ({@link org.sparselinear.nn.loss.CrossEntropyLoss}, {@link org.sparselinear.nn.loss.MSELoss}), rewiring
 *       rules ({@link org.sparselinear.nn.sparsity.RigL}, {@link org.sparselinear.nn.sparsity.SET}) and immutable values
 *       ({@link org.sparselinear.api.Connectivity}, {@link org.sparselinear.nn.SparseWeights},
 *       {@link org.sparselinear.nn.TrainingProgress}, {@link org.sparselinear.data.Dataset},
 *       {@link org.sparselinear.data.Batch}); a {@link org.sparselinear.data.DataLoader} (each iterator used
 *       by one thread).</li>
 *   <li>Not thread-safe, use from one thread at a time: layers and models, their
 *       {@link org.sparselinear.api.Parameter}s and {@link org.sparselinear.api.Tensor}s, optimizers, and a
 *       {@link org.sparselinear.api.MemoryScope}. Two models may train at once in two threads on one backend
 *       and give exactly the results of training them one after the other, as long as each thread builds its
 *       own model with explicit seeds or inside {@link org.sparselinear.nn.Init#withSeed} (a test checks
 *       this).</li>
 * </ul>
 */
package org.sparselinear.nn;
