package org.sparselinear.backend.cuda;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeFalse;

import java.net.URL;
import java.net.URLClassLoader;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;
import org.junit.jupiter.api.Test;
import org.sparselinear.spi.Availability;

/** The probe turns every way CUDA can be missing into "CUDA unavailable: reason", and never throws. */
class CudaProbeTest {

    private static final CudaDeviceInfo H100 =
            new CudaDeviceInfo(0, "NVIDIA H100 80GB HBM3", 9, 0, 132, 85_030_109_184L, 13000);
    private static final CudaDeviceInfo V100 =
            new CudaDeviceInfo(1, "Tesla V100-SXM2-16GB", 7, 0, 80, 17_179_869_184L, 13000);
    private static final Nvrtc.Status NO_NVRTC = new Nvrtc.Status(
            false,
            "",
            "libnvrtc.so.12 could not be loaded: UnsatisfiedLinkError: libnvrtc.so.12: cannot open shared object file");
    private static final Nvrtc.Status NVRTC_12_4 = new Nvrtc.Status(true, "12.4", "");

    private static final JCudaNatives NATIVES_PRESENT =
            new JCudaNatives("linux-x86_64", "lib/libJCudaDriver-12.6.0-linux-x86_64.so", true);

    /** The probe on a platform whose JCuda natives are on the class path. */
    private static CudaProbe.Discovery discover(Supplier<CudaProbe.Enumeration> enumeration) {
        return CudaProbe.discover(enumeration, () -> NATIVES_PRESENT);
    }

    private static CudaProbe.Discovery found(int driverVersion, CudaDeviceInfo... devices) {
        return discover(() -> new CudaProbe.Enumeration(0, driverVersion, List.of(devices)));
    }

    @Test
    void aMissingDriverLibraryIsReported() {
        CudaProbe.Discovery discovery = discover(() -> {
            throw new UnsatisfiedLinkError("Error while loading native library \"JCudaDriver-12.6.0-linux-x86_64\"\n"
                    + "Operating system name: Linux\n---(start of nested stack traces)---\n"
                    + "java.lang.UnsatisfiedLinkError: no JCudaDriver-12.6.0-linux-x86_64 in java.library.path: /usr/lib\n"
                    + "\tat java.base/java.lang.ClassLoader.loadLibrary(ClassLoader.java:2434)\n"
                    + "java.lang.UnsatisfiedLinkError: /tmp/libJCudaDriver-12.6.0-linux-x86_64.so: libcuda.so.1: cannot "
                    + "open shared object file: No such file or directory\n"
                    + "\tat java.base/jdk.internal.loader.NativeLibraries.load(Native Method)\n");
        });
        assertFalse(discovery.found());
        assertTrue(
                discovery
                        .failure()
                        .startsWith(
                                "CUDA unavailable: the NVIDIA driver library libcuda.so.1 could not " + "be loaded"),
                discovery.failure());
        assertFalse(discovery.failure().contains("\n"), "one line: " + discovery.failure());
        assertTrue(
                discovery
                        .failure()
                        .endsWith("(libJCudaDriver-12.6.0-linux-x86_64.so: libcuda.so.1: cannot open "
                                + "shared object file: No such file or directory)"),
                discovery.failure());
    }

    @Test
    void missingNativesAreReportedAsSuchWithThePlatform() {
        JCudaNatives aarch64 = new JCudaNatives("linux-aarch64", "lib/libJCudaDriver-12.6.0-linux-aarch64.so", false);
        CudaProbe.Discovery discovery = CudaProbe.discover(
                () -> {
                    throw new UnsatisfiedLinkError(
                            "Error while loading native library \"JCudaDriver-12.6.0-linux-aarch64\"\n"
                                    + "java.lang.UnsatisfiedLinkError: no JCudaDriver-12.6.0-linux-aarch64 in java.library.path: /usr/lib");
                },
                () -> aarch64);
        assertFalse(discovery.found());
        assertEquals(
                "CUDA unavailable: JCuda's native library for linux-aarch64 "
                        + "(lib/libJCudaDriver-12.6.0-linux-aarch64.so) is not on the class path: JCuda 12.6.0 publishes natives "
                        + "(org.jcuda:jcuda-natives, jcusparse-natives) for linux-x86_64 and windows-x86_64 only, and this build "
                        + "adds them there; on linux-aarch64 use the cpu or opencl backend, or put natives built for it on the "
                        + "class path or java.library.path (UnsatisfiedLinkError: Error while loading native library "
                        + "\"JCudaDriver-12.6.0-linux-aarch64\")",
                discovery.failure());
        assertEquals(
                discovery.failure(),
                CudaProbe.availability(discovery, null, () -> "9.0", () -> NVRTC_12_4)
                        .detail(),
                "the provider gives the probe's reason");
    }

    @Test
    void theNativesOfThisPlatformAreFoundOnlyWhereTheirJarIs() {
        JCudaNatives here = JCudaNatives.ofThisPlatform();
        assertTrue(
                here.resource().startsWith("lib/") && here.resource().contains("JCudaDriver-12.6.0-" + here.platform()),
                here.toString());
        JCudaNatives withoutJars = JCudaNatives.find(new URLClassLoader(new URL[0], null));
        assertEquals(new JCudaNatives(here.platform(), here.resource(), false), withoutJars);
        if (here.platform().equals("linux-x86_64") || here.platform().equals("windows-x86_64")) {
            assertTrue(here.onClassPath(), "the pom adds the natives on " + here.platform());
        }
    }

    @Test
    void aMessageWithoutASharedObjectGivesItsFirstLine() {
        assertEquals("IllegalStateException: first", CudaProbe.summary(new IllegalStateException("first\nsecond")));
        assertEquals("java.lang.IllegalStateException", CudaProbe.summary(new IllegalStateException()));
    }

    @Test
    void aBindingThatFailedToInitialiseIsReported() {
        CudaProbe.Discovery discovery = discover(() -> {
            throw new NoClassDefFoundError("Could not initialize class jcuda.driver.JCudaDriver");
        });
        assertTrue(
                discovery.failure().startsWith("CUDA unavailable: JCuda's driver binding could not be initialised"),
                discovery.failure());
    }

    @Test
    void cuInitFailuresAreNamed() {
        String noDevice =
                discover(() -> new CudaProbe.Enumeration(100, 13000, List.of())).failure();
        assertEquals("CUDA unavailable: cuInit found no CUDA device (CUDA_ERROR_NO_DEVICE (100))", noDevice);
        String stub =
                discover(() -> new CudaProbe.Enumeration(34, 0, List.of())).failure();
        assertTrue(stub.contains("stub") && stub.contains("CUDA_ERROR_STUB_LIBRARY (34)"), stub);
        String mismatch =
                discover(() -> new CudaProbe.Enumeration(803, 0, List.of())).failure();
        assertTrue(mismatch.contains("kernel module") && mismatch.contains("(803)"), mismatch);
        String other =
                discover(() -> new CudaProbe.Enumeration(999, 0, List.of())).failure();
        assertTrue(other.startsWith("CUDA unavailable: cuInit failed with CUDA_ERROR_UNKNOWN (999)"), other);
    }

    @Test
    void noDeviceIsReported() {
        assertEquals(
                "CUDA unavailable: the NVIDIA driver (CUDA 13.0) reports no CUDA device",
                found(13000).failure());
    }

    @Test
    void aCurrentDriverUsesTheShippedPtx() {
        AtomicInteger nvrtcAsked = new AtomicInteger();
        Availability availability = CudaProbe.availability(found(13000, H100), null, () -> "9.0", () -> {
            nvrtcAsked.incrementAndGet();
            return NO_NVRTC;
        });
        assertTrue(availability.available(), availability.detail());
        assertEquals(
                "NVIDIA H100 80GB HBM3 (compute capability 9.0, 132 SMs, 79.2 GiB); device 0 of 1, driver CUDA "
                        + "13.0; kernels: shipped PTX (ISA 9.0), compiled by the driver",
                availability.detail());
        assertEquals(0, nvrtcAsked.get(), "NVRTC is not loaded when the driver takes the PTX");
    }

    @Test
    void anOlderDriverWithoutNvrtcIsTooOldWithTheVersionsFound() {
        Availability availability = CudaProbe.availability(found(12040, H100), null, () -> "9.0", () -> NO_NVRTC);
        assertFalse(availability.available());
        assertEquals(
                "CUDA unavailable: driver too old for the shipped kernels: the shipped kernels are PTX ISA 9.0, "
                        + "which needs a CUDA 13.0 driver (580 series) or newer; this driver supports CUDA 12.4 "
                        + "(cuDriverGetVersion 12040), and NVRTC 12 (libnvrtc.so.12), which would compile them for this "
                        + "driver, is not usable (" + NO_NVRTC.reason()
                        + "); update the NVIDIA driver, or install the CUDA 12 "
                        + "runtime compiler (libnvrtc.so.12 on the library path)",
                availability.detail());
    }

    @Test
    void anOlderDriverWithNvrtcCompilesTheSources() {
        Availability availability = CudaProbe.availability(found(12040, H100), null, () -> "9.0", () -> NVRTC_12_4);
        assertTrue(availability.available(), availability.detail());
        assertTrue(
                availability
                        .detail()
                        .endsWith("kernels: compiled from source by NVRTC 12.4 (the shipped kernels "
                                + "are PTX ISA 9.0, which needs a CUDA 13.0 driver (580 series) or newer; this driver supports CUDA "
                                + "12.4 (cuDriverGetVersion 12040))"),
                availability.detail());
    }

    @Test
    void aDeviceOlderThanTuringIsUnavailable() {
        Availability availability = CudaProbe.availability(found(13000, H100, V100), "1", () -> "9.0", () -> NO_NVRTC);
        assertFalse(availability.available());
        assertEquals(
                "CUDA unavailable: device 1, Tesla V100-SXM2-16GB (compute capability 7.0, 80 SMs, 16.0 GiB), is "
                        + "older than the kernels support (compute capability 7.5, Turing, or newer)",
                availability.detail());
    }

    @Test
    void aDeviceThatDoesNotExistIsUnavailableWithTheList() {
        Availability availability = CudaProbe.availability(found(13000, H100), "a100", () -> "9.0", () -> NO_NVRTC);
        assertFalse(availability.available());
        assertTrue(
                availability
                        .detail()
                        .startsWith("CUDA unavailable: -Dsparselinear.cuda.device=a100: no CUDA "
                                + "device's name contains 'a100'. 1 device found: | device 0: NVIDIA H100"),
                availability.detail());
    }

    @Test
    void anUnavailableDiscoveryGivesItsReason() {
        CudaProbe.Discovery missing = discover(() -> {
            throw new UnsatisfiedLinkError("libcuda.so.1: cannot open shared object file");
        });
        Availability availability = CudaProbe.availability(missing, null, () -> "9.0", () -> NO_NVRTC);
        assertFalse(availability.available());
        assertEquals(missing.failure(), availability.detail());
    }

    @Test
    void theRealProbeNeverThrowsAndIsCached() {
        CudaProbe.Discovery first = CudaProbe.discover();
        assertSame(first, CudaProbe.discover());
        assertTrue(first.found() || first.failure().startsWith("CUDA unavailable: "), first.failure());
    }

    @Test
    void withoutADriverTheRealProbeSaysSo() {
        CudaProbe.Discovery discovery = CudaProbe.discover();
        assumeFalse(discovery.found(), "this machine has a CUDA device");
        Availability availability = new CudaBackendProvider().availability();
        assertFalse(availability.available());
        assertTrue(availability.detail().startsWith("CUDA unavailable: "), availability.detail());
        assertTrue(
                availability.detail().contains("libcuda.so.1")
                        || availability.detail().contains("cuInit"),
                availability.detail());
    }
}
