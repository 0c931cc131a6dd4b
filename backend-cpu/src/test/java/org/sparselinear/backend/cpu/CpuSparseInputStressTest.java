package org.sparselinear.backend.cpu;

import org.sparselinear.api.Backend;
import org.sparselinear.tck.SparseInputStressConformanceTest;

/**
 * The kit's sparse-input stress checks on the CPU backend with four worker threads and the SIMD
 * loops, so that the same-bits check sees the work split between threads.
 */
class CpuSparseInputStressTest extends SparseInputStressConformanceTest {

    @Override
    protected Backend createBackend() {
        return new CpuBackend(4, true);
    }
}
