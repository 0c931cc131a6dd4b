package org.sparselinear.spi;

import java.util.Objects;
import org.sparselinear.api.Backend;
import org.sparselinear.api.DenseMatrix;

/**
 * The part of a {@link DenseMatrix} every backend shares: backend, shape, and an idempotent,
 * thread-safe close that calls {@link #release()} once. A backend adds its storage.
 */
public abstract class AbstractDenseMatrix implements DenseMatrix {

    private final Backend backend;
    private final int rows;
    private final int columns;
    private boolean closed;

    /** A {@code (rows, columns)} matrix of {@code backend}. */
    protected AbstractDenseMatrix(Backend backend, int rows, int columns) {
        this.backend = Objects.requireNonNull(backend, "backend");
        this.rows = rows;
        this.columns = columns;
    }

    /** Frees the storage; called once, by the first {@link #close()}. */
    protected abstract void release();

    /** Fails with a clear message when the matrix was closed. */
    protected final synchronized void requireOpen() {
        if (closed) {
            throw new IllegalStateException("matrix " + shapeString() + " was closed (its memory scope ended)");
        }
    }

    @Override
    public final int rows() {
        return rows;
    }

    @Override
    public final int columns() {
        return columns;
    }

    @Override
    public final Backend backend() {
        return backend;
    }

    @Override
    public final synchronized boolean isClosed() {
        return closed;
    }

    @Override
    public final synchronized void close() {
        if (!closed) {
            closed = true;
            release();
        }
    }

    @Override
    public String toString() {
        return getClass().getSimpleName() + shapeString();
    }
}
