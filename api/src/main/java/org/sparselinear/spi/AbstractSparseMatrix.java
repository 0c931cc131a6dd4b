package org.sparselinear.spi;

import java.util.Objects;
import org.sparselinear.api.Backend;
import org.sparselinear.api.Connectivity;
import org.sparselinear.api.SparseMatrix;

/**
 * The part of a {@link SparseMatrix} every backend shares: its backend, its host-side
 * {@link Connectivity} (which gives the shape and nnz) and an idempotent, thread-safe close that
 * calls {@link #release()} once. A backend adds its device arrays.
 */
public abstract class AbstractSparseMatrix implements SparseMatrix {

    private final Backend backend;
    private final Connectivity connectivity;
    private boolean closed;

    /** A pattern of {@code backend} built from {@code connectivity}. */
    protected AbstractSparseMatrix(Backend backend, Connectivity connectivity) {
        this.backend = Objects.requireNonNull(backend, "backend");
        this.connectivity = Objects.requireNonNull(connectivity, "connectivity");
    }

    /** Frees the device arrays; called once, by the first {@link #close()}. */
    protected abstract void release();

    /** Fails with a clear message when the pattern was closed. */
    protected final synchronized void requireOpen() {
        if (closed) {
            throw new IllegalStateException("pattern " + rows() + " x " + columns() + " (nnz " + nnz()
                    + ") was closed (its memory scope ended)");
        }
    }

    @Override
    public final int rows() {
        return connectivity.rows();
    }

    @Override
    public final int columns() {
        return connectivity.columns();
    }

    @Override
    public final int nnz() {
        return connectivity.nnz();
    }

    @Override
    public final Connectivity connectivity() {
        return connectivity;
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
        return getClass().getSimpleName() + "(" + rows() + " x " + columns() + ", nnz " + nnz() + ")";
    }
}
