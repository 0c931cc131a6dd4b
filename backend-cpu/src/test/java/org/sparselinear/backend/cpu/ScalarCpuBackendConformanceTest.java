package org.sparselinear.backend.cpu;

import static org.junit.jupiter.api.Assertions.assertFalse;

import org.junit.jupiter.api.Test;
import org.sparselinear.api.Backend;
import org.sparselinear.tck.BackendConformanceTest;

/** Runs the backend conformance kit on the CPU backend with the scalar inner loops (any JVM). */
class ScalarCpuBackendConformanceTest extends BackendConformanceTest {

    @Override
    protected Backend backend() {
        return new CpuBackend(2, false);
    }

    @Test
    void usesTheScalarLoops() {
        assertFalse(((CpuBackend) backendUnderTest()).usesSimd());
    }
}
