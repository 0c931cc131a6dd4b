package org.sparselinear.backend.cuda;

import org.sparselinear.api.Backend;
import org.sparselinear.tck.SparseInputStressConformanceTest;

/**
 * The kit's sparse-input stress checks on the GPU, as {@link EmulatedCudaSparseInputTest} runs them
 * on the emulator; skipped with the probe's reason without one.
 */
@RequiresCuda
class GpuCudaSparseInputTest extends SparseInputStressConformanceTest {

    @Override
    protected Backend createBackend() {
        return new CudaBackend();
    }
}
