package org.sparselinear.backend.cuda;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.List;
import org.junit.jupiter.api.Test;

/** Parsing of -Dsparselinear.cuda.device. */
class CudaDeviceSelectorTest {

    private static final CudaDeviceInfo H100 =
            new CudaDeviceInfo(0, "NVIDIA H100 80GB HBM3", 9, 0, 132, 85_030_109_184L, 13000);
    private static final CudaDeviceInfo L4 = new CudaDeviceInfo(1, "NVIDIA L4", 8, 9, 58, 24_152_899_584L, 13000);
    private static final List<CudaDeviceInfo> DEVICES = List.of(H100, L4);

    @Test
    void unsetOrBlankTakesDeviceZero() {
        assertSame(H100, CudaDeviceSelector.select(null, DEVICES));
        assertSame(H100, CudaDeviceSelector.select("", DEVICES));
        assertSame(H100, CudaDeviceSelector.select("  ", DEVICES));
    }

    @Test
    void aNumberIsTheDeviceOrdinal() {
        assertSame(L4, CudaDeviceSelector.select("1", DEVICES));
        assertSame(L4, CudaDeviceSelector.select(" 1 ", DEVICES));
        assertSame(H100, CudaDeviceSelector.select("0", DEVICES));
    }

    @Test
    void anythingElseIsPartOfTheNameIgnoringCase() {
        assertSame(H100, CudaDeviceSelector.select("h100", DEVICES));
        assertSame(L4, CudaDeviceSelector.select("nvidia l", DEVICES));
        assertSame(H100, CudaDeviceSelector.select("NVIDIA", DEVICES), "the first match");
    }

    @Test
    void aMissingDeviceIsAnErrorThatListsTheDevices() {
        IllegalArgumentException e =
                assertThrows(IllegalArgumentException.class, () -> CudaDeviceSelector.select("2", DEVICES));
        assertEquals(
                "-Dsparselinear.cuda.device=2: there is no CUDA device 2; expected an index in [0, 2) or part "
                        + "of a device name. 2 devices found:\n"
                        + "  device 0: NVIDIA H100 80GB HBM3 (compute capability 9.0, 132 SMs, 79.2 GiB)\n"
                        + "  device 1: NVIDIA L4 (compute capability 8.9, 58 SMs, 22.5 GiB)",
                e.getMessage());
        IllegalArgumentException name =
                assertThrows(IllegalArgumentException.class, () -> CudaDeviceSelector.select("a100", DEVICES));
        assertEquals(
                "-Dsparselinear.cuda.device=a100: no CUDA device's name contains 'a100'. 2 devices found:\n"
                        + "  device 0: NVIDIA H100 80GB HBM3 (compute capability 9.0, 132 SMs, 79.2 GiB)\n"
                        + "  device 1: NVIDIA L4 (compute capability 8.9, 58 SMs, 22.5 GiB)",
                name.getMessage());
        assertThrows(IllegalArgumentException.class, () -> CudaDeviceSelector.select("99999999999", DEVICES));
        assertThrows(IllegalArgumentException.class, () -> CudaDeviceSelector.select(null, List.of()));
    }

    @Test
    void deviceInformationReadsLikeTheDriver() {
        assertEquals(90, H100.computeCapability());
        assertEquals(89, L4.computeCapability());
        assertEquals("13.0", CudaDeviceInfo.cudaVersion(13000));
        assertEquals("12.4", CudaDeviceInfo.cudaVersion(12040));
        assertEquals("12.9", CudaDeviceInfo.cudaVersion(12090));
    }
}
