package org.sparselinear.backend.opencl;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ServiceLoader;
import org.junit.jupiter.api.Test;
import org.sparselinear.api.Backends;
import org.sparselinear.spi.Availability;
import org.sparselinear.spi.BackendProvider;

/** Registration, ranking and the probe's answers; these run with or without OpenCL. */
class OpenClBackendProviderTest {

    @Test
    void isRegisteredAsOpenclRankedByTheSelectedDevicesType() {
        BackendProvider found = ServiceLoader.load(BackendProvider.class).stream()
                .map(ServiceLoader.Provider::get)
                .filter(p -> p instanceof OpenClBackendProvider)
                .findFirst()
                .orElseThrow(() -> new AssertionError("OpenClBackendProvider is not in META-INF/services"));
        assertEquals("opencl", found.name());
        OpenClProbe.Discovery discovery = OpenClProbe.discover();
        boolean cpuDevice = discovery.found()
                && "CPU"
                        .equals(DeviceSelector.select(
                                        System.getProperty(OpenClBackend.DEVICE_PROPERTY), discovery.devices())
                                .type());
        assertEquals(
                cpuDevice ? OpenClBackendProvider.CPU_DEVICE_PRIORITY : OpenClBackendProvider.DEVICE_PRIORITY,
                found.priority());
        assertTrue(
                OpenClBackendProvider.CPU_DEVICE_PRIORITY < 100 && OpenClBackendProvider.DEVICE_PRIORITY > 100,
                "a CPU device ranks below the cpu backend (100), a GPU above it");
    }

    @Test
    void availabilityNamesTheDeviceOrSaysWhyNot() {
        Availability availability = new OpenClBackendProvider().availability();
        assertFalse(availability.detail().isBlank());
        if (!availability.available()) {
            assertTrue(availability.detail().startsWith("OpenCL unavailable: "), availability.detail());
        } else {
            assertTrue(availability.detail().contains(" / "), "platform / device: " + availability.detail());
        }
        assertTrue(Backends.describe().contains("opencl"), Backends.describe());
    }

    @Test
    void describeDevicesListsPlatformsAndDevicesOrTheReason() {
        String text = OpenClBackend.describeDevices();
        if (new OpenClBackendProvider().availability().available()) {
            assertTrue(text.startsWith("platform 0: "), text);
            assertTrue(text.contains("\n  device 0: "), text);
            assertTrue(text.contains("<- selected"), text);
            assertTrue(text.contains("-Dsparselinear.opencl.device"), text);
        } else {
            assertTrue(text.startsWith("OpenCL unavailable: "), text);
        }
    }

    @Test
    void aDeviceThatDoesNotExistMakesTheProviderUnavailable() {
        String before = System.getProperty(OpenClBackend.DEVICE_PROPERTY);
        System.setProperty(OpenClBackend.DEVICE_PROPERTY, "4096");
        try {
            Availability availability = new OpenClBackendProvider().availability();
            assertFalse(availability.available());
            assertTrue(availability.detail().startsWith("OpenCL unavailable: "), availability.detail());
            if (OpenClProbe.discover().found()) {
                assertTrue(availability.detail().contains("no OpenCL device 4096"), availability.detail());
                assertTrue(availability.detail().contains("device 0: "), availability.detail());
            }
        } finally {
            if (before == null) {
                System.clearProperty(OpenClBackend.DEVICE_PROPERTY);
            } else {
                System.setProperty(OpenClBackend.DEVICE_PROPERTY, before);
            }
        }
    }
}
