package org.sparselinear.backend.cuda;

/** {@link CudaSparseInputCases} on the CPU emulator of the CUDA kernels. */
@RequiresEmulator
class EmulatedCudaSparseInputTest extends CudaSparseInputCases {

    @Override
    CudaBackend createBackend() {
        return new CudaBackend(new EmulatedDevice(), SparseRoute.Mode.NEVER, false, -1);
    }
}
