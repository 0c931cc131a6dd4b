package org.sparselinear.backend.cuda;

/** {@link CudaSparseInputCases} on the GPU; skipped with the probe's reason without one. */
@RequiresCuda
class GpuCudaSparseInputTest extends CudaSparseInputCases {

    @Override
    CudaBackend createBackend() {
        return new CudaBackend();
    }
}
