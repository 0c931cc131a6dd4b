package org.sparselinear.tck.naive;

import org.sparselinear.api.Backend;
import org.sparselinear.tck.BackendConformanceTest;

/** Runs the conformance kit on {@link NaiveBackend}, as a backend module runs it on itself. */
class NaiveBackendConformanceTest extends BackendConformanceTest {

    @Override
    protected Backend backend() {
        return new NaiveBackend();
    }
}
