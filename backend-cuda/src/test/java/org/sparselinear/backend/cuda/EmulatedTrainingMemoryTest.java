package org.sparselinear.backend.cuda;

import org.sparselinear.device.DeviceBackend;
import org.sparselinear.tck.DeviceMemoryConformanceTest;

/** The shared device-memory contract (pool reuse over 40 training steps, leak reports) on the CPU emulator. */
@RequiresEmulator
class EmulatedTrainingMemoryTest extends DeviceMemoryConformanceTest {

    @Override
    protected DeviceBackend<?> createBackend() {
        return new CudaBackend(new EmulatedDevice(), SparseRoute.Mode.NEVER, false, -1);
    }

    @Override
    protected int trainingSteps() {
        return 40;
    }
}
