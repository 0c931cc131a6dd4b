package org.sparselinear.backend.cuda;

/** {@link TrainingMemoryCases} on the GPU: 200 steps; skipped with the probe's reason without CUDA. */
@RequiresCuda
class GpuTrainingMemoryTest extends TrainingMemoryCases {

    @Override
    CudaBackend createBackend() {
        return new CudaBackend();
    }

    @Override
    int steps() {
        return 200;
    }
}
