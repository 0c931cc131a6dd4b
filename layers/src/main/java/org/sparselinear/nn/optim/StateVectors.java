package org.sparselinear.nn.optim;

import java.util.List;
import org.sparselinear.api.Backend;
import org.sparselinear.api.DenseMatrix;
import org.sparselinear.api.MemoryScope;

/** The optimizers' per-parameter state vectors: rearranging one in place ({@link Optimizer#remapState}) and freeing them ({@link Optimizer#close}). */
final class StateVectors {

    private StateVectors() {}

    /**
     * {@code state[j] = old state[positions[j]]}, or 0 where the position is -1: a gather into a
     * temporary (freed here, whatever scope is open) copied back, so the buffer object stays the same.
     */
    static void remap(DenseMatrix state, int[] positions) {
        remap(state, positions, 0);
    }

    /**
     * {@link #remap(DenseMatrix, int[])} with {@code fresh} where the position is -1: the gathered
     * zeros plus {@code fresh} times a mask of the new positions, which leaves the kept values bit
     * for bit.
     */
    static void remap(DenseMatrix state, int[] positions, float fresh) {
        Backend backend = state.backend();
        try (MemoryScope scope = backend.newScope()) {
            DenseMatrix gathered = backend.zeros(state.rows(), state.columns());
            backend.gather(state, positions, gathered);
            if (fresh != 0) {
                float[] newPositions = new float[positions.length];
                for (int j = 0; j < positions.length; j++) {
                    newPositions[j] = positions[j] < 0 ? 1 : 0;
                }
                backend.axpy(fresh, backend.upload(newPositions, state.rows(), state.columns()), gathered);
            }
            backend.copy(gathered, state);
        }
    }

    /** Closes every state vector of the list; null entries (no state kept for that parameter) are skipped. */
    static void closeAll(List<DenseMatrix> states) {
        for (DenseMatrix state : states) {
            if (state != null) {
                state.close();
            }
        }
    }

    /**
     * Fails when {@code optimizer} was closed.
     *
     * @throws IllegalStateException when {@code closed}
     */
    static void requireOpen(boolean closed, Optimizer optimizer) {
        if (closed) {
            throw new IllegalStateException(optimizer + " was closed and its state freed; build a new optimizer "
                    + "over the parameters to go on training");
        }
    }
}
