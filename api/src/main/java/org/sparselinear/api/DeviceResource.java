package org.sparselinear.api;

/**
 * Memory owned by a {@link Backend}: a dense matrix, a sparse pattern, or anything else a
 * backend allocates on its device. Closing frees the memory; closing twice does nothing.
 * Using a closed resource fails with {@link IllegalStateException}.
 */
public interface DeviceResource extends AutoCloseable {

    /** The backend that owns this resource. */
    Backend backend();

    /** Whether {@link #close()} has been called. */
    boolean isClosed();

    /** Frees the memory; idempotent. */
    @Override
    void close();
}
