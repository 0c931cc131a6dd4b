package org.sparselinear.backend.cuda;

import org.sparselinear.api.Backend;
import org.sparselinear.tck.BackendConformanceTest;

/**
 * Runs the conformance kit on the CUDA backend on the GPU, as {@code Backends} would create it (own kernels, and
 * cuSPARSE for large products where it loads). Without CUDA the kit is skipped with the probe's reason
 * ({@code "CUDA unavailable: ..."}).
 */
@RequiresCuda
class CudaBackendConformanceTest extends BackendConformanceTest {

    @Override
    protected Backend backend() {
        return new CudaBackend();
    }
}
