package org.sparselinear.api;

/**
 * Turns graph recording off on the calling thread, for evaluation:
 * <pre>{@code
 * try (var off = GradMode.disable()) { predictions = model.forward(x); }
 * }</pre>
 * While disabled, {@link Tensor#derived} records no parents and no backward function, so
 * nothing is kept alive for a backward pass.
 */
public final class GradMode implements AutoCloseable {

    private static final ThreadLocal<Boolean> ENABLED = ThreadLocal.withInitial(() -> Boolean.TRUE);

    private final boolean previous;

    private GradMode(boolean previous) {
        this.previous = previous;
    }

    /** Disables recording until the returned handle is closed. */
    public static GradMode disable() {
        GradMode handle = new GradMode(ENABLED.get());
        ENABLED.set(Boolean.FALSE);
        return handle;
    }

    /** Whether operations on this thread are recorded for backward. */
    public static boolean isEnabled() {
        return ENABLED.get();
    }

    /** Restores the state from before {@link #disable()}. */
    @Override
    public void close() {
        ENABLED.set(previous);
    }
}
