package org.sparselinear.backend.cuda;

import java.util.List;
import java.util.function.Supplier;
import org.sparselinear.spi.Availability;

/**
 * Whether CUDA can run here, found once and cached; never throws. The first touch of JCuda's driver binding
 * happens inside {@code catch (LinkageError)} with JCuda's exceptions off, so every way CUDA can be missing
 * becomes a reason that starts with {@value #UNAVAILABLE}: no JCuda natives for this platform (JCuda publishes
 * them for a few only; see {@link JCudaNatives}), no {@code libcuda.so.1} (no driver), the toolkit's
 * stub library instead of a driver, a driver whose kernel module differs, no device, a device older than the
 * kernels support, or a driver too old for the shipped PTX with no NVRTC to compile the sources.
 *
 * <p>Without a driver the answer takes milliseconds: loading JCuda's driver binding fails at once.
 */
final class CudaProbe {

    /** How every reason for unavailability starts. */
    static final String UNAVAILABLE = "CUDA unavailable: ";

    /**
     * What the driver reported.
     *
     * @param initStatus the status of {@code cuInit} (0 for success)
     * @param driverVersion {@code cuDriverGetVersion}, 0 when unknown
     * @param devices the devices found
     */
    record Enumeration(int initStatus, int driverVersion, List<CudaDeviceInfo> devices) {}

    /**
     * The devices found, or the reason there are none.
     *
     * @param devices the devices (empty when unavailable)
     * @param driverVersion {@code cuDriverGetVersion}, 0 when unknown
     * @param failure the reason, null when devices were found
     */
    record Discovery(List<CudaDeviceInfo> devices, int driverVersion, String failure) {

        /** Whether at least one device was found. */
        boolean found() {
            return failure == null;
        }
    }

    private static Discovery cached;

    private CudaProbe() {}

    /** The devices of this machine, enumerated on the first call and cached. */
    static synchronized Discovery discover() {
        if (cached == null) {
            cached = discover(DriverDevice::enumerate, JCudaNatives::ofThisPlatform);
        }
        return cached;
    }

    /**
     * Runs {@code enumeration} (the first touch of JCuda) and turns every failure into a reason; a linkage failure
     * with {@code natives} missing from the class path is reported as that.
     */
    static Discovery discover(Supplier<Enumeration> enumeration, Supplier<JCudaNatives> natives) {
        try {
            Enumeration found = enumeration.get();
            if (found.initStatus() != CudaStatus.SUCCESS) {
                return failed(initFailure(found.initStatus()), found.driverVersion());
            }
            if (found.devices().isEmpty()) {
                return failed(
                        "the NVIDIA driver (CUDA " + CudaDeviceInfo.cudaVersion(found.driverVersion())
                                + ") reports no CUDA device",
                        found.driverVersion());
            }
            return new Discovery(List.copyOf(found.devices()), found.driverVersion(), null);
        } catch (LinkageError e) {
            return linkageFailure(e, natives);
        } catch (RuntimeException e) {
            return failed("probing the CUDA driver failed: " + summary(e), 0);
        }
    }

    private static Discovery linkageFailure(LinkageError e, Supplier<JCudaNatives> natives) {
        JCudaNatives binding;
        try {
            binding = natives.get();
        } catch (RuntimeException | LinkageError unknown) {
            binding = null;
        }
        if (binding != null && !binding.onClassPath()) {
            return failed(binding.missingReason() + " (" + summary(e) + ")", 0);
        }
        if (e instanceof UnsatisfiedLinkError) {
            return failed(
                    "the NVIDIA driver library libcuda.so.1 could not be loaded, so there is no usable NVIDIA "
                            + "driver on this machine (" + summary(e) + ")",
                    0);
        }
        return failed(
                "JCuda's driver binding could not be initialised (" + summary(e) + "); is an NVIDIA "
                        + "driver (libcuda.so.1) installed?",
                0);
    }

    private static String initFailure(int status) {
        return switch (status) {
            case CudaStatus.NO_DEVICE -> "cuInit found no CUDA device (" + CudaStatus.name(status) + ")";
            case CudaStatus.STUB_LIBRARY ->
                "the libcuda.so.1 found is the CUDA toolkit's stub, not a driver ("
                        + CudaStatus.name(status) + "); install the NVIDIA driver or take the stubs directory off the "
                        + "library path";
            case CudaStatus.SYSTEM_DRIVER_MISMATCH ->
                "the NVIDIA driver library and its kernel module have " + "different versions ("
                        + CudaStatus.name(status) + "); reboot or reinstall the driver";
            case CudaStatus.COMPAT_NOT_SUPPORTED_ON_DEVICE ->
                "the CUDA forward-compatibility driver does not " + "support this GPU (" + CudaStatus.name(status)
                        + ")";
            default -> "cuInit failed with " + CudaStatus.name(status);
        };
    }

    private static Discovery failed(String reason, int driverVersion) {
        return new Discovery(List.of(), driverVersion, UNAVAILABLE + reason);
    }

    /**
     * One line on a throwable for a reason: JCuda's loading errors run over many lines with the cause deep inside
     * ("libcuda.so.1: cannot open shared object file"), so the line naming a shared object that failed is taken
     * when there is one, else the first line; at most 400 characters.
     */
    static String summary(Throwable e) {
        String message = e.getMessage();
        if (message == null) {
            return e.toString();
        }
        String chosen = null;
        for (String line : message.lines().toList()) {
            if (line.contains("cannot open shared object file")
                    || line.contains("undefined symbol")
                    || line.contains("version `")) {
                chosen = line.strip()
                        .replaceFirst("^java\\.lang\\.UnsatisfiedLinkError: ", "")
                        .replaceFirst("^/\\S*/", "");
            }
        }
        if (chosen == null) {
            chosen = e.getClass().getSimpleName() + ": "
                    + message.lines().findFirst().orElse(message).strip();
        }
        return chosen.length() > 400 ? chosen.substring(0, 400) + "..." : chosen;
    }

    /** The provider's answer for the device {@code spec} asks for (see {@link CudaDeviceSelector}). */
    static Availability availability(String spec) {
        return availability(discover(), spec, KernelModules.shipped()::isa, Nvrtc::status);
    }

    /**
     * The answer for {@code discovery}: the device {@code spec} asks for must exist, be of compute capability 7.5
     * or newer, and the kernels must be loadable ({@link KernelLoading}).
     */
    static Availability availability(
            Discovery discovery, String spec, Supplier<String> isa, Supplier<Nvrtc.Status> nvrtc) {
        if (!discovery.found()) {
            return Availability.unavailable(discovery.failure());
        }
        CudaDeviceInfo chosen;
        try {
            chosen = CudaDeviceSelector.select(spec, discovery.devices());
        } catch (IllegalArgumentException e) {
            return Availability.unavailable(UNAVAILABLE + e.getMessage().replace("\n  ", " | "));
        }
        if (chosen.computeCapability() < CudaDeviceInfo.MIN_COMPUTE_CAPABILITY) {
            return Availability.unavailable(UNAVAILABLE + "device " + chosen.index() + ", " + chosen.line()
                    + ", is older than the kernels support (compute capability 7.5, Turing, or newer)");
        }
        KernelLoading.Plan plan;
        try {
            plan = KernelLoading.plan(isa.get(), discovery.driverVersion(), nvrtc);
        } catch (RuntimeException e) {
            return Availability.unavailable(
                    UNAVAILABLE + "the kernels shipped with the backend cannot be read: " + summary(e));
        }
        if (!plan.possible()) {
            return Availability.unavailable(plan.detail());
        }
        return Availability.available(chosen.line() + "; device " + chosen.index() + " of "
                + discovery.devices().size() + ", driver CUDA " + CudaDeviceInfo.cudaVersion(discovery.driverVersion())
                + "; " + plan.detail());
    }
}
