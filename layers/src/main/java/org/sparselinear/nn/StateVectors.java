package org.sparselinear.nn;

import org.sparselinear.api.Backend;
import org.sparselinear.api.DenseMatrix;
import org.sparselinear.api.MemoryScope;

/** Rearranging a state vector in place, for {@link Optimizer#remapState}. */
final class StateVectors {

    private StateVectors() {
    }

    /**
     * {@code state[j] = old state[positions[j]]}, or 0 where the position is -1: a gather into a
     * temporary (freed here, whatever scope is open) copied back, so the buffer object stays the same.
     */
    static void remap(DenseMatrix state, int[] positions) {
        Backend backend = state.backend();
        try (MemoryScope scope = backend.newScope()) {
            DenseMatrix gathered = backend.zeros(state.rows(), state.columns());
            backend.gather(state, positions, gathered);
            backend.copy(gathered, state);
        }
    }
}
