package org.sparselinear.backend.cuda;

import java.util.List;
import java.util.Locale;

/**
 * Chooses the CUDA device from {@value #PROPERTY}: unset or blank, device 0; a number, the device with that
 * ordinal; anything else, the first device whose name contains it, ignoring case ({@code h100}, {@code a100}).
 * A number out of range or a name that matches nothing is an error that lists the devices.
 */
final class CudaDeviceSelector {

    /** The system property naming the device. */
    static final String PROPERTY = "sparselinear.cuda.device";

    private CudaDeviceSelector() {
    }

    /** The device {@link #PROPERTY} asks for. */
    static CudaDeviceInfo select(List<CudaDeviceInfo> devices) {
        return select(System.getProperty(PROPERTY), devices);
    }

    /**
     * The device {@code spec} asks for among {@code devices} (not empty).
     *
     * @throws IllegalArgumentException naming the devices when none fits
     */
    static CudaDeviceInfo select(String spec, List<CudaDeviceInfo> devices) {
        if (devices.isEmpty()) {
            throw new IllegalArgumentException("no CUDA device to choose from");
        }
        if (spec == null || spec.isBlank()) {
            return devices.get(0);
        }
        String wanted = spec.trim();
        if (wanted.chars().allMatch(Character::isDigit)) {
            int index;
            try {
                index = Integer.parseInt(wanted);
            } catch (NumberFormatException e) {
                index = Integer.MAX_VALUE;
            }
            for (CudaDeviceInfo device : devices) {
                if (device.index() == index) {
                    return device;
                }
            }
            throw new IllegalArgumentException("-D" + PROPERTY + "=" + wanted + " asks for CUDA device " + wanted
                    + ", but there " + (devices.size() == 1 ? "is 1 device" : "are " + devices.size() + " devices")
                    + ":" + list(devices));
        }
        String lower = wanted.toLowerCase(Locale.ROOT);
        for (CudaDeviceInfo device : devices) {
            if (device.name().toLowerCase(Locale.ROOT).contains(lower)) {
                return device;
            }
        }
        throw new IllegalArgumentException("-D" + PROPERTY + "=" + wanted + " matches no CUDA device name; the devices"
                + " are:" + list(devices));
    }

    private static String list(List<CudaDeviceInfo> devices) {
        StringBuilder text = new StringBuilder();
        for (CudaDeviceInfo device : devices) {
            text.append("\n  device ").append(device.index()).append(": ").append(device.line());
        }
        return text.toString();
    }
}
