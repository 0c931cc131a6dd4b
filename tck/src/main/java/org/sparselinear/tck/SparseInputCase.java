package org.sparselinear.tck;

import org.sparselinear.api.Connectivity;
import org.sparselinear.tck.reference.TestData;

/**
 * One sparse-input case: a sparse batch {@code X} of shape {@code (batch, in)} and a weight
 * pattern {@code (out, in)}; the dense-weight operations use a dense weight of the pattern's shape.
 */
record SparseInputCase(SparsePattern input, SparsePattern weight) {

    Connectivity x() {
        return input.connectivity();
    }

    Connectivity w() {
        return weight.connectivity();
    }

    /** Seeded inputs for this case and operation. */
    TestData data(String operation) {
        return TestData.seededBy(operation + " " + this);
    }

    @Override
    public String toString() {
        return input + " into " + weight;
    }
}
