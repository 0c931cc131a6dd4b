package org.sparselinear.backend.cuda;

import org.sparselinear.device.DeviceBackend;
import org.sparselinear.tck.DeviceMemoryConformanceTest;

/** The shared device-memory contract on the GPU: 200 steps; skipped with the probe's reason without CUDA. */
@RequiresCuda
class GpuTrainingMemoryTest extends DeviceMemoryConformanceTest {

    @Override
    protected DeviceBackend<?> createBackend() {
        return new CudaBackend();
    }

    @Override
    protected int trainingSteps() {
        return 200;
    }
}
