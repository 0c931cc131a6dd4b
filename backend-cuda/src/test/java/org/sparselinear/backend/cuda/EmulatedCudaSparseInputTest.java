package org.sparselinear.backend.cuda;

import org.sparselinear.api.Backend;
import org.sparselinear.tck.SparseInputStressConformanceTest;

/**
 * The kit's sparse-input stress checks on the CPU emulator of the CUDA kernels, whose variants the
 * batches reach: a sample's outputs split into fewer or more ranges than outputs, and SDDMM lane
 * groups of 1 to 32.
 */
@RequiresEmulator
class EmulatedCudaSparseInputTest extends SparseInputStressConformanceTest {

    @Override
    protected Backend createBackend() {
        return new CudaBackend(new EmulatedDevice(), SparseRoute.Mode.NEVER, false, -1);
    }
}
