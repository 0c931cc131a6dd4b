package org.sparselinear.nn;

import org.sparselinear.api.Backend;
import org.sparselinear.api.DenseMatrix;
import org.sparselinear.api.MemoryScope;

/** Copying host values into existing device matrices, for loading saved state. */
final class HostValues {

    private HostValues() {
    }

    /**
     * Overwrites {@code target} with {@code rowMajor} (its elements in row-major order), through a
     * temporary upload that is freed here whatever scope is open; the matrix object stays the same.
     */
    static void copyInto(DenseMatrix target, float[] rowMajor) {
        if (rowMajor.length != target.size()) {
            throw new IllegalArgumentException("expected " + target.size() + " values for a " + target.shapeString()
                    + " matrix, got " + rowMajor.length);
        }
        Backend backend = target.backend();
        try (MemoryScope scope = backend.newScope()) {
            backend.copy(backend.upload(rowMajor, target.rows(), target.columns()), target);
        }
    }
}
