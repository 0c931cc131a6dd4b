package org.sparselinear.backend.cpu;

import org.sparselinear.api.Backend;
import org.sparselinear.tck.BackendConformanceTest;

/**
 * The conformance kit on segmented column indices ({@link SegmentedIndexCpuBackendConformanceTest})
 * with the scalar loops, which read the segments through their own code: the combination a JVM
 * without the Vector API runs for a layer wider than 65,536 inputs.
 */
class ScalarSegmentedIndexCpuBackendConformanceTest extends BackendConformanceTest {

    @Override
    protected Backend backend() {
        return new CpuBackend(2, false, 3);
    }
}
