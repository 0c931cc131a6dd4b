package org.sparselinear.api;

import java.lang.ref.WeakReference;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * A trainable tensor owned by a layer: a leaf of the autograd graph whose gradient buffer
 * lives as long as the parameter and is accumulated into by every backward pass until
 * {@link #zeroGrad()}. Create parameters (and so layers) outside any {@link MemoryScope}.
 *
 * <p>For a sparse layer the weight parameter is the {@code (1, nnz)} vector of the existing
 * connections only, so an optimizer can never move a connection that does not exist. When the
 * layer is rewired, {@link #remap} rearranges the vector in place (same size) and tells every
 * {@link ParameterState} registered with {@link #trackState} (the optimizers), so that their
 * state follows the connections.
 *
 * <p>A parameter holds its value and gradient on the device until {@link #close()} (which its
 * layer's {@link Layer#close()} calls); afterwards reading its value or gradient fails with
 * {@link IllegalStateException}.
 */
public class Parameter extends Tensor implements DeviceResource {

    private final String name;
    private final List<WeakReference<ParameterState>> stateHolders = new ArrayList<>();
    private final List<Runnable> updateListeners = new ArrayList<>();
    private boolean closed;

    /** A parameter named {@code name} (e.g. {@code "weight"}) holding {@code value}. */
    public Parameter(String name, DenseMatrix value) {
        super(
                Objects.requireNonNull(value, "parameter value"),
                new int[] {value.rows(), value.columns()},
                true,
                java.util.List.of(),
                null);
        this.name = Objects.requireNonNull(name, "name");
        setGrad(value.backend().zeros(value.rows(), value.columns()));
    }

    /** The name within its layer, e.g. {@code "weight"} or {@code "bias"}. */
    public String name() {
        return name;
    }

    /** Sets the gradient to zero. */
    public void zeroGrad() {
        backend().fill(grad(), 0f);
    }

    /** Number of scalars. */
    public long numel() {
        return value().size();
    }

    /**
     * Registers something that keeps per-element state for this parameter (an optimizer), to be
     * told of every {@link #remap}. Held weakly: an optimizer that is no longer used is dropped.
     * Registering the same holder twice has no effect.
     */
    public void trackState(ParameterState holder) {
        Objects.requireNonNull(holder, "state holder");
        stateHolders.removeIf(reference -> reference.get() == null);
        for (WeakReference<ParameterState> reference : stateHolders) {
            if (reference.get() == holder) {
                return;
            }
        }
        stateHolders.add(new WeakReference<>(holder));
    }

    /**
     * Removes a holder registered with {@link #trackState} (an optimizer being closed), so that
     * later remaps no longer reach it; a holder that is not registered is left alone.
     */
    public void untrackState(ParameterState holder) {
        Objects.requireNonNull(holder, "state holder");
        stateHolders.removeIf(reference -> reference.get() == null || reference.get() == holder);
    }

    /**
     * Registers {@code listener} to run after every optimizer step that updates this parameter
     * ({@link #updated()}): its layer's after-step work, such as a rewiring of its connections.
     * Listeners run in the order registered; a layer registers on its own parameters when it is
     * built, so that its training schedule advances without the training loop calling it.
     */
    public void addUpdateListener(Runnable listener) {
        updateListeners.add(Objects.requireNonNull(listener, "update listener"));
    }

    /**
     * Tells the parameter that an optimizer step has updated it; runs the update listeners. An
     * optimizer calls it for each of its parameters once all of them are updated, at the end of
     * its {@code step()} (the layers module's {@code Parameters.afterUpdate} does).
     */
    public void updated() {
        requireOpen();
        for (Runnable listener : List.copyOf(updateListeners)) {
            listener.run();
        }
    }

    /**
     * The value.
     *
     * @throws IllegalStateException when the parameter was closed
     */
    @Override
    public DenseMatrix value() {
        requireOpen();
        return super.value();
    }

    /**
     * The gradient buffer, kept across steps.
     *
     * @throws IllegalStateException when the parameter was closed
     */
    @Override
    public DenseMatrix grad() {
        requireOpen();
        return super.grad();
    }

    /** As {@link #grad()}: a parameter always has its gradient buffer. */
    @Override
    public DenseMatrix gradOrZeros() {
        requireOpen();
        return super.gradOrZeros();
    }

    @Override
    public boolean isClosed() {
        return closed;
    }

    /**
     * Frees the value and the gradient and forgets the registered state holders; idempotent. The
     * gradient is freed even when freeing the value fails; that failure is then rethrown, with the
     * gradient's added as suppressed.
     */
    @Override
    public void close() {
        if (closed) {
            return;
        }
        closed = true;
        stateHolders.clear();
        try {
            super.value().close();
        } catch (RuntimeException e) {
            try {
                super.grad().close();
            } catch (RuntimeException gradient) {
                e.addSuppressed(gradient);
            }
            throw e;
        }
        super.grad().close();
    }

    private void requireOpen() {
        if (closed) {
            throw new IllegalStateException(this + " was closed, with its layer or model, and its memory freed; "
                    + "build or load the model again, or keep a copy with model.to(backend) before closing it");
        }
    }

    /**
     * Rearranges a vector parameter ({@code (1, n)}) in place: element {@code j} becomes old element
     * {@code sourcePositions[j]}, or {@code 0} where that is {@code -1}; the gradient is rearranged
     * the same way, and then every registered {@link ParameterState} remaps its state. The size does
     * not change. Used by sparse layers when they are rewired.
     *
     * @throws IllegalArgumentException when the parameter is not a vector, {@code sourcePositions}
     *         has another length, or a position is outside {@code [-1, n)}
     */
    public void remap(int[] sourcePositions) {
        Objects.requireNonNull(sourcePositions, "sourcePositions");
        if (rows() != 1 || sourcePositions.length != columns()) {
            throw new IllegalArgumentException("remap of " + this + " needs a (1, n) parameter and n = " + columns()
                    + " source positions (the size stays the same), got " + sourcePositions.length);
        }
        Backend backend = backend();
        int[] positions = sourcePositions.clone();
        try (MemoryScope scope = backend.newScope()) {
            DenseMatrix gathered = backend.zeros(1, columns());
            backend.gather(value(), positions, gathered);
            backend.copy(gathered, value());
            backend.gather(grad(), positions, gathered);
            backend.copy(gathered, grad());
        }
        List<ParameterState> holders = new ArrayList<>();
        for (WeakReference<ParameterState> reference : stateHolders) {
            ParameterState holder = reference.get();
            if (holder != null) {
                holders.add(holder);
            }
        }
        for (ParameterState holder : holders) {
            holder.remapState(this, positions);
        }
    }

    @Override
    public String toString() {
        return "Parameter(" + name + ", " + super.value().shapeString() + ")";
    }
}
