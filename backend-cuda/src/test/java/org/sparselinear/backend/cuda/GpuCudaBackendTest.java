package org.sparselinear.backend.cuda;

import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/** The edge cases of {@link CudaBackendCases} on the GPU; skipped with the probe's reason without one. */
@RequiresCuda
class GpuCudaBackendTest extends CudaBackendCases {

    @Override
    CudaBackend createBackend() {
        return new CudaBackend();
    }

    @Test
    void theDescriptionNamesTheDeviceTheDriverAndHowTheKernelsWereLoaded() {
        String description = backend().description();
        assertTrue(description.startsWith("CUDA on " + backend().deviceInfo().name()), description);
        assertTrue(description.contains("driver CUDA "), description);
        assertTrue(description.contains("kernels: "), description);
    }
}
