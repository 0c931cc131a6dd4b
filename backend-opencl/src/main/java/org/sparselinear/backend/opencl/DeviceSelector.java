package org.sparselinear.backend.opencl;

import java.util.List;
import java.util.Locale;
import java.util.regex.Pattern;

/**
 * Picks the device the backend runs on from the devices of every platform, by the value of
 * {@value #PROPERTY}:
 * <ul>
 *   <li>unset or blank: the first GPU, else the first device;</li>
 *   <li>an integer: the device with that index (as {@link OpenClBackend#describeDevices()} lists them);</li>
 *   <li>anything else: the first device whose platform name, device name or vendor contains it,
 *       ignoring case (e.g. {@code nvidia}, {@code pthread}, {@code Portable}).</li>
 * </ul>
 * An index out of range, or a name that matches nothing, is an error that lists every device.
 */
final class DeviceSelector {

    /** System property that chooses the OpenCL device: an index or part of a name. */
    static final String PROPERTY = "sparselinear.opencl.device";

    private static final Pattern INTEGER = Pattern.compile("[+-]?\\d+");

    private DeviceSelector() {
    }

    /** The device chosen by {@code -D}{@value #PROPERTY}. */
    static DeviceInfo select(List<DeviceInfo> devices) {
        return select(System.getProperty(PROPERTY), devices);
    }

    /**
     * The device chosen by {@code spec} among {@code devices}.
     *
     * @throws IllegalArgumentException when there is no device, the index is out of range or the
     *         name matches no device; the message lists the devices found
     */
    static DeviceInfo select(String spec, List<DeviceInfo> devices) {
        if (devices.isEmpty()) {
            throw new IllegalArgumentException("no OpenCL device found on any platform");
        }
        if (spec == null || spec.isBlank()) {
            return devices.stream().filter(DeviceInfo::isGpu).findFirst().orElse(devices.get(0));
        }
        String wanted = spec.trim();
        if (INTEGER.matcher(wanted).matches()) {
            long index;
            try {
                index = Long.parseLong(wanted);
            } catch (NumberFormatException e) {
                index = -1;
            }
            if (index < 0 || index >= devices.size()) {
                throw new IllegalArgumentException("-D" + PROPERTY + "=" + wanted + ": there is no OpenCL device "
                        + wanted + "; expected an index in [0, " + devices.size() + ") or part of a device name. "
                        + list(devices));
            }
            return devices.get((int) index);
        }
        String needle = wanted.toLowerCase(Locale.ROOT);
        for (DeviceInfo device : devices) {
            String haystack = (device.platformName() + "\n" + device.name() + "\n" + device.vendor()).toLowerCase(Locale.ROOT);
            if (haystack.contains(needle)) {
                return device;
            }
        }
        throw new IllegalArgumentException("-D" + PROPERTY + "=" + wanted + ": no OpenCL device's platform, name or "
                + "vendor contains '" + wanted + "'. " + list(devices));
    }

    /** {@code "N devices found: device 0: ..., device 1: ..."}, for error messages. */
    static String list(List<DeviceInfo> devices) {
        StringBuilder text = new StringBuilder();
        text.append(devices.size()).append(devices.size() == 1 ? " device found:" : " devices found:");
        for (DeviceInfo device : devices) {
            text.append("\n  ").append(device.line()).append(" on ").append(device.platformName());
        }
        return text.toString();
    }
}
