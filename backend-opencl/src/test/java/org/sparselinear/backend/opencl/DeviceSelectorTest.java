package org.sparselinear.backend.opencl;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.sparselinear.spi.Availability;

/** Device choice by index or name, on made-up devices: no OpenCL needed. */
class DeviceSelectorTest {

    private static final DeviceInfo POCL =
            device(0, 0, "Portable Computing Language", 0, "pthread-skylake-avx512", "AuthenticAMD", "CPU");
    private static final DeviceInfo H100 =
            device(1, 1, "NVIDIA CUDA", 0, "NVIDIA H100 80GB HBM3", "NVIDIA Corporation", "GPU");
    private static final DeviceInfo A100 =
            device(2, 1, "NVIDIA CUDA", 1, "NVIDIA A100-SXM4-40GB", "NVIDIA Corporation", "GPU");
    private static final List<DeviceInfo> DEVICES = List.of(POCL, H100, A100);

    private static DeviceInfo device(
            int index, int platformIndex, String platform, int deviceIndex, String name, String vendor, String type) {
        return new DeviceInfo(
                index,
                platformIndex,
                platform,
                "OpenCL 3.0",
                deviceIndex,
                name,
                vendor,
                type,
                "OpenCL C 1.2",
                8,
                8L << 30,
                1024,
                2L << 30);
    }

    @Test
    void unsetOrBlankTakesTheFirstGpu() {
        assertEquals(H100, DeviceSelector.select(null, DEVICES));
        assertEquals(H100, DeviceSelector.select("  ", DEVICES));
    }

    @Test
    void withoutGpuTheFirstDevice() {
        assertEquals(POCL, DeviceSelector.select(null, List.of(POCL, device(1, 0, "Other", 1, "cpu two", "x", "CPU"))));
    }

    @Test
    void anIntegerIsAnIndexOverAllPlatforms() {
        assertEquals(POCL, DeviceSelector.select("0", DEVICES));
        assertEquals(A100, DeviceSelector.select(" 2 ", DEVICES));
    }

    @Test
    void anIndexOutOfRangeListsTheDevices() {
        IllegalArgumentException e =
                assertThrows(IllegalArgumentException.class, () -> DeviceSelector.select("3", DEVICES));
        String message = e.getMessage();
        assertTrue(message.contains("-Dsparselinear.opencl.device=3"), message);
        assertTrue(message.contains("no OpenCL device 3"), message);
        assertTrue(message.contains("[0, 3)"), message);
        assertTrue(message.contains("3 devices found"), message);
        for (DeviceInfo device : DEVICES) {
            assertTrue(message.contains("device " + device.index() + ": " + device.name()), message);
        }
    }

    @Test
    void negativeAndHugeIndicesAreOutOfRange() {
        assertThrows(IllegalArgumentException.class, () -> DeviceSelector.select("-1", DEVICES));
        assertThrows(IllegalArgumentException.class, () -> DeviceSelector.select("99999999999999999999", DEVICES));
    }

    @Test
    void aNameIsACaseInsensitiveSubstringOfDeviceName() {
        assertEquals(A100, DeviceSelector.select("a100", DEVICES));
        assertEquals(POCL, DeviceSelector.select("SKYLAKE", DEVICES));
    }

    @Test
    void aNameMayMatchThePlatformOrVendorAndTakesTheFirstMatch() {
        assertEquals(POCL, DeviceSelector.select("portable", DEVICES));
        assertEquals(H100, DeviceSelector.select("nvidia", DEVICES));
        assertEquals(POCL, DeviceSelector.select("AuthenticAMD", DEVICES));
    }

    @Test
    void aNameMatchingNothingListsTheDevices() {
        IllegalArgumentException e =
                assertThrows(IllegalArgumentException.class, () -> DeviceSelector.select("tpu", DEVICES));
        assertTrue(e.getMessage().contains("'tpu'"), e.getMessage());
        assertTrue(e.getMessage().contains("NVIDIA A100-SXM4-40GB"), e.getMessage());
    }

    @Test
    void noDevicesAtAll() {
        IllegalArgumentException e =
                assertThrows(IllegalArgumentException.class, () -> DeviceSelector.select(null, List.of()));
        assertTrue(e.getMessage().contains("no OpenCL device"), e.getMessage());
    }

    @Test
    void availabilityNamesPlatformAndDevice() {
        Availability availability = OpenClProbe.availability(new OpenClProbe.Discovery(DEVICES, null), "a100");
        assertTrue(availability.available());
        assertTrue(availability.detail().contains("NVIDIA CUDA / NVIDIA A100-SXM4-40GB"), availability.detail());
        assertTrue(availability.detail().contains("device 2 of 3"), availability.detail());
    }

    @Test
    void availabilityOfAMissingDeviceIsOneLineThatListsTheDevices() {
        Availability availability = OpenClProbe.availability(new OpenClProbe.Discovery(DEVICES, null), "7");
        assertFalse(availability.available());
        assertTrue(availability.detail().startsWith("OpenCL unavailable: "), availability.detail());
        assertTrue(availability.detail().contains("NVIDIA H100"), availability.detail());
        assertFalse(availability.detail().contains("\n"), availability.detail());
    }
}
