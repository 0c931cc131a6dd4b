package org.sparselinear.backend.opencl;

import java.util.Locale;

/**
 * What the backend knows of one OpenCL device, as found by enumerating every platform: plain
 * host data, no OpenCL handles, so that device selection can be tested without a device.
 *
 * @param index the device's position among all devices of all platforms (what
 *        {@code -Dsparselinear.opencl.device=INDEX} selects)
 * @param platformIndex the platform's position in {@code clGetPlatformIDs}
 * @param platformName the platform's name ({@code CL_PLATFORM_NAME})
 * @param platformVersion the platform's version string
 * @param deviceIndex the device's position within its platform
 * @param name the device's name ({@code CL_DEVICE_NAME})
 * @param vendor the device's vendor
 * @param type {@code "GPU"}, {@code "CPU"}, {@code "accelerator"} or {@code "other"}
 * @param openClCVersion the OpenCL C version the compiler accepts
 * @param computeUnits {@code CL_DEVICE_MAX_COMPUTE_UNITS}
 * @param globalMemory bytes of global memory
 * @param maxWorkGroupSize {@code CL_DEVICE_MAX_WORK_GROUP_SIZE}
 * @param maxAllocation bytes of the largest single buffer ({@code CL_DEVICE_MAX_MEM_ALLOC_SIZE})
 */
record DeviceInfo(
        int index,
        int platformIndex,
        String platformName,
        String platformVersion,
        int deviceIndex,
        String name,
        String vendor,
        String type,
        String openClCVersion,
        int computeUnits,
        long globalMemory,
        long maxWorkGroupSize,
        long maxAllocation) {

    /** Whether the device is a GPU. */
    boolean isGpu() {
        return "GPU".equals(type);
    }

    /** One line: index, name, type, compute units, memory, OpenCL C version. */
    String line() {
        return String.format(
                Locale.ROOT,
                "device %d: %s [%s, %d compute units, %s, %s]",
                index,
                name,
                type,
                computeUnits,
                mebibytes(globalMemory),
                openClCVersion);
    }

    /** {@code "platform / device"}, as the provider's availability detail shows it. */
    String shortName() {
        return platformName + " / " + name;
    }

    static String mebibytes(long bytes) {
        return String.format(Locale.ROOT, "%d MiB", bytes >> 20);
    }
}
