package org.sparselinear.tck.naive;

import org.sparselinear.api.Backend;
import org.sparselinear.tck.SparseInputStressConformanceTest;

/** Runs the kit's sparse-input stress checks on {@link NaiveBackend}, as a backend module runs them on itself. */
class NaiveSparseInputStressTest extends SparseInputStressConformanceTest {

    @Override
    protected Backend createBackend() {
        return new NaiveBackend();
    }
}
