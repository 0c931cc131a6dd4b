package org.sparselinear.backend.opencl;

import java.util.List;
import java.util.Optional;
import java.util.function.Supplier;
import org.sparselinear.spi.Availability;

/**
 * Whether OpenCL can run here, found once and cached: the platforms and devices, or why there
 * are none. Never throws: a missing {@code libOpenCL.so.1} (found out by {@link OpenClLibrary}
 * before JOCL is touched, so JOCL prints nothing; else a {@link LinkageError} on the first touch
 * of JOCL), no installed platform ({@code CL_PLATFORM_NOT_FOUND_KHR}) or no device all become a
 * reason that starts with {@value #UNAVAILABLE}.
 */
final class OpenClProbe {

    /** How every reason for unavailability starts. */
    static final String UNAVAILABLE = "OpenCL unavailable: ";

    /**
     * The devices found, or the reason there are none (then {@code devices} is empty), and the
     * platforms left closed.
     */
    record Discovery(List<DeviceInfo> devices, String failure, List<String> skipped) {

        /** A discovery with nothing skipped. */
        Discovery(List<DeviceInfo> devices, String failure) {
            this(devices, failure, List.of());
        }

        /** Whether at least one device was found. */
        boolean found() {
            return failure == null;
        }
    }

    /** What to install when the OpenCL library is missing. */
    private static final String INSTALL = "install an ICD loader (ocl-icd-libopencl1) and a driver (a GPU vendor's, "
            + "or pocl-opencl-icd for the CPU)";

    private static Discovery cached;

    private OpenClProbe() {}

    /** The devices of this machine, enumerated on the first call and cached. */
    static synchronized Discovery discover() {
        if (cached == null) {
            cached = discover(OpenClLibrary.missing(), OpenClContext::enumerate);
        }
        return cached;
    }

    /**
     * The reason when the OpenCL library is {@code missing} (then {@code enumeration}, the first
     * touch of JOCL, does not run), else what {@link #discover(Supplier)} finds.
     */
    static Discovery discover(Optional<String> missing, Supplier<OpenClContext.Platforms> enumeration) {
        if (missing.isPresent()) {
            return failed(missing.get() + "; " + INSTALL + ", or add the folder that holds it to LD_LIBRARY_PATH");
        }
        return discover(enumeration);
    }

    /** Runs {@code enumeration} (the first touch of JOCL) and turns every failure into a reason. */
    static Discovery discover(Supplier<OpenClContext.Platforms> enumeration) {
        try {
            OpenClContext.Platforms platforms = enumeration.get();
            if (platforms.devices().isEmpty()) {
                return new Discovery(
                        List.of(),
                        UNAVAILABLE
                                + (platforms.skipped().isEmpty()
                                        ? "the installed OpenCL platforms have no device"
                                        : String.join("; ", platforms.skipped())),
                        List.copyOf(platforms.skipped()));
            }
            return new Discovery(List.copyOf(platforms.devices()), null, List.copyOf(platforms.skipped()));
        } catch (UnsatisfiedLinkError e) {
            return failed("the OpenCL library could not be loaded (" + e.getMessage() + "); " + INSTALL);
        } catch (LinkageError e) {
            return failed("JOCL could not be initialised (" + e + "); is libOpenCL.so.1 installed?");
        } catch (RuntimeException e) {
            return failed(String.valueOf(e.getMessage()));
        }
    }

    private static Discovery failed(String reason) {
        return new Discovery(List.of(), UNAVAILABLE + reason);
    }

    /** The provider's answer for the device {@code spec} asks for (see {@link DeviceSelector}). */
    static Availability availability(String spec) {
        return availability(discover(), spec);
    }

    static Availability availability(Discovery discovery, String spec) {
        if (!discovery.found()) {
            return Availability.unavailable(discovery.failure());
        }
        try {
            DeviceInfo chosen = DeviceSelector.select(spec, discovery.devices());
            return Availability.available(chosen.shortName() + " (" + chosen.type() + ", " + chosen.computeUnits()
                    + " compute units, " + DeviceInfo.mebibytes(chosen.globalMemory()) + ", " + chosen.openClCVersion()
                    + "; device " + chosen.index() + " of "
                    + discovery.devices().size() + ")");
        } catch (IllegalArgumentException e) {
            return Availability.unavailable(UNAVAILABLE + e.getMessage().replace("\n  ", " | "));
        }
    }
}
