package org.sparselinear.backend.cuda;

import org.sparselinear.api.Backend;
import org.sparselinear.tck.BackendConformanceTest;

/**
 * Runs the conformance kit on the CUDA backend with its kernels compiled for the CPU emulator: the backend's
 * host code, launch configurations and kernel sources, without a GPU. Skipped when the emulator cannot be built.
 */
@RequiresEmulator
class EmulatedCudaConformanceTest extends BackendConformanceTest {

    @Override
    protected Backend backend() {
        return new CudaBackend(new EmulatedDevice(), SparseRoute.Mode.NEVER, false, -1);
    }
}
