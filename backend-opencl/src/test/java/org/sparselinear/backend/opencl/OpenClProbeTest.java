package org.sparselinear.backend.opencl;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.sparselinear.spi.Availability;

/** The probe turns every way OpenCL can be missing into "OpenCL unavailable: reason", and never throws. */
class OpenClProbeTest {

    @Test
    void missingLibraryIsReported() {
        OpenClProbe.Discovery discovery = OpenClProbe.discover(() -> {
            throw new UnsatisfiedLinkError("libOpenCL.so.1: cannot open shared object file: No such file or directory");
        });
        assertFalse(discovery.found());
        assertTrue(
                discovery.failure().startsWith("OpenCL unavailable: the OpenCL library could not be loaded"),
                discovery.failure());
        assertTrue(discovery.failure().contains("libOpenCL.so.1"), discovery.failure());
    }

    @Test
    void aLibraryFoundMissingBeforehandLeavesJoclUntouched() {
        OpenClProbe.Discovery discovery =
                OpenClProbe.discover(Optional.of("libOpenCL.so.1 was not found (searched x)"), () -> {
                    throw new AssertionError("JOCL must not be touched: its native code would print on stderr");
                });
        assertFalse(discovery.found());
        assertTrue(
                discovery
                        .failure()
                        .startsWith("OpenCL unavailable: libOpenCL.so.1 was not found (searched x); "
                                + "install an ICD loader"),
                discovery.failure());
        assertTrue(discovery.devices().isEmpty());
    }

    @Test
    void aLibraryFoundPresentIsEnumerated() {
        OpenClProbe.Discovery discovery =
                OpenClProbe.discover(Optional.empty(), () -> new OpenClContext.Platforms(List.of(), List.of()));
        assertTrue(discovery.failure().contains("have no device"), "the enumeration ran: " + discovery.failure());
    }

    @Test
    void aClassThatFailedToInitialiseIsReported() {
        OpenClProbe.Discovery discovery = OpenClProbe.discover(() -> {
            throw new NoClassDefFoundError("Could not initialize class org.jocl.CL");
        });
        assertTrue(
                discovery.failure().startsWith("OpenCL unavailable: JOCL could not be initialised"),
                discovery.failure());
    }

    @Test
    void noPlatformIsReported() {
        OpenClProbe.Discovery discovery = OpenClProbe.discover(() -> {
            throw new OpenClException("no OpenCL platform is installed", -1001);
        });
        assertTrue(
                discovery.failure().equals("OpenCL unavailable: no OpenCL platform is installed"), discovery.failure());
        Availability availability = OpenClProbe.availability(discovery, null);
        assertFalse(availability.available());
        assertTrue(availability.detail().startsWith("OpenCL unavailable: "), availability.detail());
    }

    @Test
    void platformsWithoutDevicesAreReported() {
        OpenClProbe.Discovery discovery = OpenClProbe.discover(() -> new OpenClContext.Platforms(List.of(), List.of()));
        assertTrue(discovery.failure().startsWith("OpenCL unavailable: "), discovery.failure());
    }

    @Test
    void aPlatformLeftClosedIsTheReasonWhenNothingElseIsFound() {
        String refusal = "platform 0: " + SignalChaining.refusal("Portable Computing Language");
        OpenClProbe.Discovery discovery =
                OpenClProbe.discover(() -> new OpenClContext.Platforms(List.of(), List.of(refusal)));
        assertFalse(discovery.found());
        assertTrue(
                discovery
                        .failure()
                        .startsWith("OpenCL unavailable: platform 0: platform 'Portable Computing "
                                + "Language' (PoCL) replaces the JVM's SIGSEGV"),
                discovery.failure());
        assertTrue(discovery.failure().contains("libjsig.so"), discovery.failure());
        assertTrue(discovery.failure().contains("-D" + SignalChaining.ALLOW_PROPERTY + "=true"), discovery.failure());
    }

    @Test
    void theRealProbeNeverThrowsAndIsCached() {
        OpenClProbe.Discovery first = OpenClProbe.discover();
        assertSame(first, OpenClProbe.discover());
        assertTrue(
                first.found() || first.failure().startsWith("OpenCL unavailable: "), String.valueOf(first.failure()));
    }
}
