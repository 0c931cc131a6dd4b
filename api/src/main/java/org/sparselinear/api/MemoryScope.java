package org.sparselinear.api;

/**
 * A region that owns the device memory allocated inside it:
 * <pre>{@code
 * try (MemoryScope step = backend.newScope()) {
 *     Tensor loss = criterion.forward(model.forward(x), labels);
 *     loss.backward();
 *     optimizer.step();
 * } // every temporary of the step is released here
 * }</pre>
 * Scopes nest per thread: a resource belongs to the innermost scope open on the thread that
 * allocated it. Resources allocated outside any scope (parameters, optimizer state) belong to
 * whoever holds them and are released by {@link DeviceResource#close()} or, on the CPU, by
 * the garbage collector. Closing a scope is idempotent; closing an outer scope closes the
 * inner ones still open.
 */
public interface MemoryScope extends AutoCloseable {

    /**
     * Moves a resource out of this scope, and out of every scope, so that it outlives it; the
     * caller then owns it and closes it. Returns it.
     *
     * @throws IllegalArgumentException when this scope does not own the resource
     */
    <T extends DeviceResource> T keep(T resource);

    /** Number of live resources this scope owns. */
    int liveResources();

    /** Releases everything this scope owns; idempotent. */
    @Override
    void close();
}
