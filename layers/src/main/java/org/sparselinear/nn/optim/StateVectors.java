package org.sparselinear.nn.optim;

import org.sparselinear.api.Backend;
import org.sparselinear.api.DenseMatrix;
import org.sparselinear.api.MemoryScope;

/** Rearranging an optimizer's per-parameter state vector in place, for {@link Optimizer#remapState}. */
final class StateVectors {

    private StateVectors() {}

    /**
     * {@code state[j] = old state[positions[j]]}, or {@code fresh} where the position is -1: a
     * gather into a temporary (freed here, whatever scope is open) copied back, so the buffer object
     * stays the same; the fresh value is added as {@code fresh} times a mask of the new positions,
     * which leaves the kept values bit for bit.
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
}
