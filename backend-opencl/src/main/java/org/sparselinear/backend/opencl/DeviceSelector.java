package org.sparselinear.backend.opencl;

import java.util.List;
import org.sparselinear.device.DeviceChoice;

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

    private static final DeviceChoice<DeviceInfo> CHOICE = new DeviceChoice<>(
            "OpenCL",
            PROPERTY,
            "platform, name or vendor",
            DeviceInfo::isGpu,
            device -> device.platformName() + "\n" + device.name() + "\n" + device.vendor(),
            device -> device.line() + " on " + device.platformName());

    private DeviceSelector() {}

    /** The device chosen by {@code -D}{@value #PROPERTY}. */
    static DeviceInfo select(List<DeviceInfo> devices) {
        return CHOICE.select(devices);
    }

    /**
     * The device chosen by {@code spec} among {@code devices}.
     *
     * @throws IllegalArgumentException when there is no device, the index is out of range or the
     *         name matches no device; the message lists the devices found
     */
    static DeviceInfo select(String spec, List<DeviceInfo> devices) {
        return CHOICE.select(spec, devices);
    }
}
