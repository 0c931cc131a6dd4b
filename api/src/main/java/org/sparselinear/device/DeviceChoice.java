package org.sparselinear.device;

import java.util.List;
import java.util.Locale;
import java.util.function.Function;
import java.util.function.Predicate;
import java.util.regex.Pattern;

/**
 * How a GPU backend picks its device from a system property (e.g. {@code -Dsparselinear.opencl.device}):
 * <ul>
 *   <li>unset or blank: the first preferred device (for OpenCL a GPU), else the first device;</li>
 *   <li>an integer: the device at that index of the backend's list;</li>
 *   <li>anything else: the first device whose searchable text (name, and for OpenCL platform and vendor)
 *       contains it, ignoring case.</li>
 * </ul>
 * An index out of range, or a name that matches nothing, is an error that lists every device.
 *
 * @param <D> the backend's description of a device
 */
public final class DeviceChoice<D> {

    private static final Pattern INTEGER = Pattern.compile("[+-]?\\d+");

    private final String api;
    private final String property;
    private final String searched;
    private final Predicate<D> preferred;
    private final Function<D, String> searchText;
    private final Function<D, String> line;

    /**
     * A choice for the devices of {@code api} ("OpenCL"), set by {@code property}: an unset property takes the
     * first {@code preferred} device; a name part is looked for in {@code searchText} (which {@code searched}
     * describes in messages, e.g. "platform, name or vendor"); {@code line} describes a device in the list that
     * error messages show.
     */
    public DeviceChoice(
            String api,
            String property,
            String searched,
            Predicate<D> preferred,
            Function<D, String> searchText,
            Function<D, String> line) {
        this.api = api;
        this.property = property;
        this.searched = searched;
        this.preferred = preferred;
        this.searchText = searchText;
        this.line = line;
    }

    /** The device chosen by the property's value now. */
    public D select(List<D> devices) {
        return select(System.getProperty(property), devices);
    }

    /**
     * The device chosen by {@code spec} among {@code devices}.
     *
     * @throws IllegalArgumentException when there is no device, the index is out of range or the name matches no
     *         device; the message lists the devices found
     */
    public D select(String spec, List<D> devices) {
        if (devices.isEmpty()) {
            throw new IllegalArgumentException(
                    "no " + api + " device found; install a driver for one, or choose " + "another backend");
        }
        if (spec == null || spec.isBlank()) {
            return devices.stream().filter(preferred).findFirst().orElse(devices.get(0));
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
                throw new IllegalArgumentException("-D" + property + "=" + wanted + ": there is no " + api + " device "
                        + wanted + "; expected an index in [0, " + devices.size() + ") or part of a device name. "
                        + list(devices));
            }
            return devices.get((int) index);
        }
        String needle = wanted.toLowerCase(Locale.ROOT);
        for (D device : devices) {
            if (searchText.apply(device).toLowerCase(Locale.ROOT).contains(needle)) {
                return device;
            }
        }
        throw new IllegalArgumentException("-D" + property + "=" + wanted + ": no " + api + " device's " + searched
                + " contains '" + wanted + "'. " + list(devices));
    }

    /** {@code "2 devices found:\n  device 0: ...\n  device 1: ..."}, for messages. */
    public String list(List<D> devices) {
        StringBuilder text = new StringBuilder();
        text.append(devices.size()).append(devices.size() == 1 ? " device found:" : " devices found:");
        for (D device : devices) {
            text.append("\n  ").append(line.apply(device));
        }
        return text.toString();
    }
}
