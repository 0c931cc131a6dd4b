package org.sparselinear.backend.cuda;

import java.util.Locale;

/**
 * One CUDA device as the driver describes it.
 *
 * @param index the device's ordinal ({@code cuDeviceGet})
 * @param name the device's name, e.g. {@code "NVIDIA H100 80GB HBM3"}
 * @param major the compute capability's major number (9 for Hopper)
 * @param minor the compute capability's minor number
 * @param multiprocessors the number of streaming multiprocessors
 * @param totalMemory the device memory in bytes
 * @param driverVersion the CUDA version the driver supports, as {@code cuDriverGetVersion} reports it
 *     ({@code 13000} for CUDA 13.0)
 */
public record CudaDeviceInfo(
        int index, String name, int major, int minor, int multiprocessors, long totalMemory, int driverVersion) {

    /** The oldest compute capability the kernels support (Turing, {@code compute_75}), times ten. */
    static final int MIN_COMPUTE_CAPABILITY = 75;

    /** The compute capability times ten: 90 for 9.0. */
    public int computeCapability() {
        return 10 * major + minor;
    }

    /** {@code "NVIDIA H100 80GB HBM3 (compute capability 9.0, 132 SMs, 79.2 GiB)"}. */
    public String line() {
        return String.format(
                Locale.ROOT,
                "%s (compute capability %d.%d, %d SMs, %s)",
                name,
                major,
                minor,
                multiprocessors,
                gibibytes(totalMemory));
    }

    /** {@code "13.0"} for a {@code cuDriverGetVersion} of 13000. */
    static String cudaVersion(int driverVersion) {
        return driverVersion / 1000 + "." + driverVersion % 1000 / 10;
    }

    /** Bytes as GiB with one decimal. */
    static String gibibytes(long bytes) {
        return String.format(Locale.ROOT, "%.1f GiB", bytes / (double) (1L << 30));
    }
}
