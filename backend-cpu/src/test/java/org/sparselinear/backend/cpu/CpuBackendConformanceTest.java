package org.sparselinear.backend.cpu;

import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;
import org.sparselinear.api.Backend;
import org.sparselinear.tck.BackendConformanceTest;

/**
 * Runs the backend conformance kit on the CPU backend with two worker threads and the SIMD
 * (Vector API) inner loops; the tests run with {@code --add-modules jdk.incubator.vector}.
 */
class CpuBackendConformanceTest extends BackendConformanceTest {

    @Override
    protected Backend backend() {
        return new CpuBackend(2, true);
    }

    @Test
    void usesTheVectorApiLoops() {
        assertTrue(
                ((CpuBackend) backendUnderTest()).usesSimd(),
                "the tests must run with --add-modules jdk.incubator.vector");
    }
}
