package org.sparselinear.backend.cuda;

/** {@link TrainingMemoryCases} on the CPU emulator: 40 steps. */
@RequiresEmulator
class EmulatedTrainingMemoryTest extends TrainingMemoryCases {

    @Override
    CudaBackend createBackend() {
        return new CudaBackend(new EmulatedDevice(), SparseRoute.Mode.NEVER, false, -1);
    }

    @Override
    int steps() {
        return 40;
    }
}
