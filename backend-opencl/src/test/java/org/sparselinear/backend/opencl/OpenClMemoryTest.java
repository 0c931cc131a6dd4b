package org.sparselinear.backend.opencl;

import org.sparselinear.device.DeviceBackend;
import org.sparselinear.tck.DeviceMemoryConformanceTest;

/** The shared device-memory contract (pool reuse over 200 training steps, leak reports) on the OpenCL backend. */
@RequiresOpenCl
class OpenClMemoryTest extends DeviceMemoryConformanceTest {

    @Override
    protected DeviceBackend<?> createBackend() {
        return new OpenClBackend();
    }

    @Override
    protected int trainingSteps() {
        return 200;
    }
}
