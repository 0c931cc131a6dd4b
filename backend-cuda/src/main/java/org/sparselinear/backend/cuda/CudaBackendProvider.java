package org.sparselinear.backend.cuda;

import org.sparselinear.api.Backend;
import org.sparselinear.spi.Availability;
import org.sparselinear.spi.BackendProvider;

/**
 * Registers the {@link CudaBackend} as {@code "cuda"}, priority 300 (above OpenCL and the CPU backend), so that it
 * is taken when a usable NVIDIA GPU is present and asked for by name with {@code -Dsparselinear.backend=cuda}.
 *
 * <p>Available when JCuda's driver binding loads ({@code libcuda.so.1}), the driver reports a device, the device
 * chosen by {@code -Dsparselinear.cuda.device} exists and has compute capability 7.5 or newer, and the kernels can
 * be loaded (the driver accepts the shipped PTX, or NVRTC 12 can compile the sources). Otherwise the detail says
 * {@code "CUDA unavailable: <reason>"}; without a driver that answer takes milliseconds. The probe runs once and is
 * cached.
 */
public final class CudaBackendProvider implements BackendProvider {

    /** The priority of the CUDA backend: above OpenCL (200) and the CPU backend (100). */
    static final int PRIORITY = 300;

    @Override
    public String name() {
        return CudaBackend.NAME;
    }

    @Override
    public int priority() {
        return PRIORITY;
    }

    @Override
    public Availability availability() {
        return CudaProbe.availability(System.getProperty(CudaBackend.DEVICE_PROPERTY));
    }

    /** The CUDA devices found, one per line, the selected one marked; empty when CUDA is unavailable. */
    @Override
    public String devices() {
        CudaProbe.Discovery discovery = CudaProbe.discover();
        if (!discovery.found()) {
            return "";
        }
        CudaDeviceInfo chosen;
        try {
            chosen = CudaDeviceSelector.select(discovery.devices());
        } catch (IllegalArgumentException e) {
            chosen = null;
        }
        StringBuilder text = new StringBuilder();
        for (CudaDeviceInfo device : discovery.devices()) {
            text.append("device ").append(device.index()).append(": ").append(device.line());
            if (device == chosen) {
                text.append("  <- selected");
            }
            text.append('\n');
        }
        return text.append("choose with -D")
                .append(CudaBackend.DEVICE_PROPERTY)
                .append("=INDEX or =NAME")
                .toString();
    }

    @Override
    public Backend create() {
        return new CudaBackend();
    }
}
