package org.sparselinear.backend.cuda;

import java.util.List;
import org.sparselinear.device.DeviceChoice;

/**
 * Chooses the CUDA device from {@value #PROPERTY}: unset or blank, device 0; a number, the device with that
 * ordinal (the devices are listed by ordinal); anything else, the first device whose name contains it, ignoring case ({@code h100}, {@code a100}).
 * A number out of range or a name that matches nothing is an error that lists the devices.
 */
final class CudaDeviceSelector {

    /** The system property naming the device. */
    static final String PROPERTY = "sparselinear.cuda.device";

    private static final DeviceChoice<CudaDeviceInfo> CHOICE = new DeviceChoice<>(
            "CUDA",
            PROPERTY,
            "name",
            device -> true,
            CudaDeviceInfo::name,
            device -> "device " + device.index() + ": " + device.line());

    private CudaDeviceSelector() {}

    /** The device {@link #PROPERTY} asks for. */
    static CudaDeviceInfo select(List<CudaDeviceInfo> devices) {
        return CHOICE.select(devices);
    }

    /**
     * The device {@code spec} asks for among {@code devices} (listed by ordinal).
     *
     * @throws IllegalArgumentException naming the devices when none fits
     */
    static CudaDeviceInfo select(String spec, List<CudaDeviceInfo> devices) {
        return CHOICE.select(spec, devices);
    }
}
