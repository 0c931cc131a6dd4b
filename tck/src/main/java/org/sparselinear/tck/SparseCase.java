package org.sparselinear.tck;

import org.sparselinear.api.Connectivity;
import org.sparselinear.tck.reference.TestData;

/** One sparse-product case: a pattern (the weight, {@code (out, in)}) and a batch size. */
record SparseCase(SparsePattern pattern, int batch) {

    Connectivity connectivity() {
        return pattern.connectivity();
    }

    /** Seeded inputs for this case and operation. */
    TestData data(String operation) {
        return TestData.seededBy(operation + " " + this);
    }

    @Override
    public String toString() {
        return pattern + ", batch " + batch;
    }
}
