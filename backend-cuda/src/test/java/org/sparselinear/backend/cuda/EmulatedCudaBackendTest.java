package org.sparselinear.backend.cuda;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;
import org.sparselinear.api.Activation;
import org.sparselinear.api.Connectivity;
import org.sparselinear.api.DenseMatrix;
import org.sparselinear.api.MemoryScope;
import org.sparselinear.api.SparseMatrix;
import org.sparselinear.device.DeviceBufferPool;
import org.sparselinear.tck.reference.Patterns;

/**
 * The edge cases of {@link CudaBackendCases} on the CPU emulator, and what only a device the test controls can
 * show: which kernel variant a launch picks, the messages of failed launches (ordinary and sticky), running out of
 * device memory, and the pool freeing its free buffers to make room.
 */
@RequiresEmulator
class EmulatedCudaBackendTest extends CudaBackendCases {

    @Override
    CudaBackend createBackend() {
        return new CudaBackend(new EmulatedDevice(), SparseRoute.Mode.NEVER, false, -1);
    }

    private static Connectivity pattern(int rows, int columns, double density) {
        return Patterns.random(rows, columns, density, 5);
    }

    @Test
    void aBatchOfOneWithShortRowsUsesAWarpPerRow() {
        EmulatedDevice device = new EmulatedDevice();
        try (CudaBackend backend = new CudaBackend(device, SparseRoute.Mode.NEVER, false, -1)) {
            Connectivity shortRows = pattern(50, 100, 0.1);
            SparseMatrix weight = backend.pattern(shortRows);
            DenseMatrix values = backend.zeros(1, shortRows.nnz());
            backend.spmm(weight, values, backend.zeros(1, 100), backend.zeros(1, 50));
            assertEquals(1, device.launches(Kernel.SPMM_WARP_ROWS));
            backend.spmm(weight, values, backend.zeros(2, 100), backend.zeros(2, 50));
            assertEquals(1, device.launches(Kernel.SPMM_BLOCK_ROWS));
            backend.spmmTransposed(weight, values, backend.zeros(1, 50), backend.zeros(1, 100), false);
            assertEquals(2, device.launches(Kernel.SPMM_WARP_ROWS));
        }
    }

    @Test
    void aFailedLaunchNamesTheOperationTheShapesTheKernelAndTheStatus() {
        EmulatedDevice device = new EmulatedDevice();
        try (CudaBackend backend = new CudaBackend(device, SparseRoute.Mode.NEVER, false, -1)) {
            Connectivity connectivity = Patterns.skewed();
            SparseMatrix weight = backend.pattern(connectivity);
            DenseMatrix values = backend.zeros(1, connectivity.nnz());
            DenseMatrix x = backend.zeros(4, 300);
            DenseMatrix y = backend.zeros(4, 70);
            device.failNextLaunch(Kernel.SPMM_BLOCK_ROWS, CudaStatus.LAUNCH_OUT_OF_RESOURCES);
            CudaException e = assertThrows(CudaException.class, () -> backend.spmm(weight, values, x, y));
            String message = e.getMessage();
            assertTrue(
                    message.startsWith("spmm (weight 70 x 300 with nnz " + connectivity.nnz() + ", x (4, 300), "
                            + "y (4, 70)): cuLaunchKernel of sl_spmm_block_rows <<<(70, 1, 1), (128, 1, 1)>>> failed with "
                            + "CUDA_ERROR_LAUNCH_OUT_OF_RESOURCES (701)"),
                    message);
            assertEquals(CudaStatus.LAUNCH_OUT_OF_RESOURCES, e.status());
            assertFalse(e.isSticky());
            backend.spmm(weight, values, x, y);
        }
    }

    @Test
    void aStickyErrorListsTheLastOperationsAndTellsHowToFindTheFailingOne() {
        EmulatedDevice device = new EmulatedDevice();
        try (CudaBackend backend = new CudaBackend(device, SparseRoute.Mode.NEVER, false, -1)) {
            DenseMatrix x = backend.zeros(8, 16);
            backend.activate(Activation.RELU, x, backend.zeros(8, 16));
            backend.scale(x, 2f);
            device.failNextLaunch(Kernel.TRANSPOSE, CudaStatus.ILLEGAL_ADDRESS);
            CudaException e = assertThrows(CudaException.class, () -> backend.download(x));
            String message = e.getMessage();
            assertTrue(message.startsWith("download (matrix (8, 16)): cuLaunchKernel of sl_transpose"), message);
            assertTrue(message.contains("CUDA_ERROR_ILLEGAL_ADDRESS (700)"), message);
            assertTrue(message.contains("the CUDA context is now unusable"), message);
            assertTrue(
                    message.contains("activate RELU (sl_activate), scale (sl_scale), download (sl_transpose)"),
                    message);
            assertTrue(message.contains("-D" + CudaBackend.SYNCHRONOUS_PROPERTY + "=true"), message);
            assertTrue(e.isSticky());
        }
    }

    @Test
    void runningOutOfDeviceMemorySaysHowMuchWasNeededAndWhatIsFree() {
        try (CudaBackend backend = new CudaBackend(new EmulatedDevice(64L << 20), SparseRoute.Mode.NEVER, false, -1)) {
            CudaException e = assertThrows(CudaException.class, () -> backend.zeros(10_000, 10_000));
            String message = e.getMessage();
            assertTrue(
                    message.startsWith("zeros (shape (10000, 10000)): device memory exhausted: 400000000 bytes are "
                            + "needed, 67108864 free on CPU emulation of the CUDA kernels, 0 held by this backend's open "
                            + "matrices and patterns"),
                    message);
            assertEquals(CudaStatus.OUT_OF_MEMORY, e.status());
        }
    }

    @Test
    void freePooledBuffersAreFreedWhenAnAllocationNeedsTheRoom() {
        EmulatedDevice device = new EmulatedDevice(64L << 20);
        try (CudaBackend backend = new CudaBackend(device, SparseRoute.Mode.NEVER, false, Long.MAX_VALUE)) {
            try (MemoryScope scope = backend.newScope()) {
                backend.zeros(1000, 10_000);
            }
            assertEquals(
                    DeviceBufferPool.sizeClass(40_000_000),
                    backend.memoryUsage().bytesPooled());
            DenseMatrix large = backend.zeros(1000, 12_000);
            assertEquals(0, backend.memoryUsage().bytesPooled());
            assertEquals(DeviceBufferPool.sizeClass(48_000_000), device.allocatedBytes());
            large.close();
        }
    }

    @Test
    void synchronousModeStillRuns() {
        try (CudaBackend backend = new CudaBackend(new EmulatedDevice(), SparseRoute.Mode.NEVER, true, 0)) {
            DenseMatrix x = backend.upload(new float[] {-1, 2, -3, 4}, 2, 2);
            backend.activate(Activation.RELU, x, x);
            assertEquals(4f, backend.download(x)[3]);
            assertEquals(0, backend.memoryUsage().bytesPooled(), "a pool limit of 0 keeps no free buffer");
        }
    }

    @Test
    void theDescriptionNamesTheDeviceAndTheKernels() {
        String description = backend().description();
        assertTrue(
                description.startsWith("CUDA on CPU emulation of the CUDA kernels (compute capability 7.5"),
                description);
        assertTrue(description.contains("sparse products: own kernels"), description);
    }
}
