package org.sparselinear.backend.opencl;

import org.sparselinear.api.Backend;
import org.sparselinear.spi.Availability;
import org.sparselinear.spi.BackendProvider;

/**
 * Registers the {@link OpenClBackend} as {@code "opencl"}: priority 200 on a GPU or accelerator
 * (above the CPU backend, below CUDA), 50 on a CPU device such as PoCL (below the CPU backend). Available when JOCL loads, an OpenCL platform is installed and the device asked for by
 * {@code -Dsparselinear.opencl.device} exists; the detail names the platform and device, or says
 * {@code "OpenCL unavailable: <reason>"}. The probe runs once and is cached.
 */
public final class OpenClBackendProvider implements BackendProvider {

    @Override
    public String name() {
        return OpenClBackend.NAME;
    }

    /** Priority on a GPU or accelerator; above the CPU backend, below CUDA. */
    static final int DEVICE_PRIORITY = 200;

    /**
     * Priority when the selected device is a CPU (PoCL, a vendor's CPU runtime): below the tuned
     * pure-Java CPU backend (100), which is faster on the same cores, so OpenCL is then used only
     * when asked for by name.
     */
    static final int CPU_DEVICE_PRIORITY = 50;

    @Override
    public int priority() {
        OpenClProbe.Discovery discovery = OpenClProbe.discover();
        if (!discovery.found()) {
            return DEVICE_PRIORITY;
        }
        try {
            DeviceInfo chosen =
                    DeviceSelector.select(System.getProperty(OpenClBackend.DEVICE_PROPERTY), discovery.devices());
            return "CPU".equals(chosen.type()) ? CPU_DEVICE_PRIORITY : DEVICE_PRIORITY;
        } catch (IllegalArgumentException e) {
            return DEVICE_PRIORITY;
        }
    }

    @Override
    public Availability availability() {
        return OpenClProbe.availability(System.getProperty(OpenClBackend.DEVICE_PROPERTY));
    }

    /** The platforms and devices found, the selected one marked ({@link OpenClBackend#describeDevices()}). */
    @Override
    public String devices() {
        return OpenClProbe.discover().found() ? OpenClBackend.describeDevices() : "";
    }

    @Override
    public Backend create() {
        return new OpenClBackend();
    }
}
