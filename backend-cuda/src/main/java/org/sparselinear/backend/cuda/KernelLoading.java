package org.sparselinear.backend.cuda;

import java.util.function.Supplier;

/**
 * How the kernels get onto the device, decided from the versions alone (the probe's part, cheap and without a
 * device):
 * <ul>
 *   <li>the shipped PTX, JIT-compiled by the driver, when the driver supports its ISA version (PTX ISA 9.0 from
 *       nvcc 13 needs a CUDA 13.0 driver, the 580 series, or newer);</li>
 *   <li>otherwise the same sources compiled at run time by NVRTC 12 ({@code libnvrtc.so.12}) into a CUBIN for
 *       the device, which CUDA's minor-version compatibility lets any CUDA 12 driver load;</li>
 *   <li>otherwise nothing: {@code "CUDA unavailable: driver too old for the shipped kernels"} with the versions.</li>
 * </ul>
 * When the driver still rejects the shipped PTX at load time, {@link DriverDevice} falls back to NVRTC the same
 * way.
 */
final class KernelLoading {

    /** Where the kernels come from. */
    enum Source {
        /** The PTX in the jar, compiled by the driver. */
        SHIPPED_PTX,
        /** The sources in the jar, compiled by NVRTC. */
        NVRTC
    }

    /**
     * The decision: where the kernels come from, or why they cannot be loaded.
     *
     * @param source the source, null when unavailable
     * @param detail a line for descriptions, or the reason when unavailable
     */
    record Plan(Source source, String detail) {

        /** Whether the kernels can be loaded. */
        boolean possible() {
            return source != null;
        }
    }

    private KernelLoading() {}

    /**
     * The oldest driver ({@code cuDriverGetVersion}, 12040 for CUDA 12.4) that accepts PTX of this ISA version:
     * ISA 9.x comes with CUDA 13.x, 8.0 to 8.5 with CUDA 12.0 to 12.5, 8.6 to 8.8 with 12.7 to 12.9, 7.x with
     * 11.x (7.8 with 11.8). An unparsable version asks for CUDA 13.0.
     */
    static int requiredDriverVersion(String isa) {
        String[] parts = isa.trim().split("\\.");
        int major;
        int minor;
        try {
            major = Integer.parseInt(parts[0]);
            minor = parts.length > 1 ? Integer.parseInt(parts[1]) : 0;
        } catch (NumberFormatException e) {
            return 13000;
        }
        if (major >= 9) {
            return (major + 4) * 1000 + minor * 10;
        }
        if (major == 8) {
            return minor <= 5 ? 12000 + minor * 10 : 12000 + (minor + 1) * 10;
        }
        if (major == 7) {
            return 11000 + minor * 10;
        }
        return 10000;
    }

    /**
     * The plan for PTX of ISA {@code isa} on a driver of {@code driverVersion}; {@code nvrtc} is asked only when
     * the driver is too old.
     */
    static Plan plan(String isa, int driverVersion, Supplier<Nvrtc.Status> nvrtc) {
        int required = requiredDriverVersion(isa);
        if (driverVersion >= required) {
            return new Plan(Source.SHIPPED_PTX, "kernels: shipped PTX (ISA " + isa + "), compiled by the driver");
        }
        Nvrtc.Status status = nvrtc.get();
        String tooOld = "the shipped kernels are PTX ISA " + isa + ", which needs a CUDA "
                + CudaDeviceInfo.cudaVersion(required) + " driver" + (required >= 13000 ? " (580 series)" : "")
                + " or newer; this driver supports CUDA " + CudaDeviceInfo.cudaVersion(driverVersion)
                + " (cuDriverGetVersion " + driverVersion + ")";
        if (status.available()) {
            return new Plan(
                    Source.NVRTC, "kernels: compiled from source by NVRTC " + status.version() + " (" + tooOld + ")");
        }
        return new Plan(
                null,
                CudaProbe.UNAVAILABLE + "driver too old for the shipped kernels: " + tooOld
                        + ", and NVRTC 12 (libnvrtc.so.12), which would compile them for this driver, is not usable ("
                        + status.reason() + "); update the NVIDIA driver, or install the CUDA 12 runtime compiler "
                        + "(libnvrtc.so.12 on the library path)");
    }
}
