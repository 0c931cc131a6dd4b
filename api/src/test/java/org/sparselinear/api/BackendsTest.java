package org.sparselinear.api;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.function.Supplier;
import org.junit.jupiter.api.Test;
import org.sparselinear.spi.Availability;
import org.sparselinear.spi.BackendProvider;

class BackendsTest {

    /** A provider whose probe answers what the test says; selection must never create it. */
    private record FakeProvider(String name, int priority, Supplier<Availability> probe) implements BackendProvider {

        static FakeProvider available(String name, int priority) {
            return new FakeProvider(name, priority, () -> Availability.available(name + " device"));
        }

        static FakeProvider unavailable(String name, int priority, String reason) {
            return new FakeProvider(name, priority, () -> Availability.unavailable(reason));
        }

        @Override
        public Availability availability() {
            return probe.get();
        }

        @Override
        public Backend create() {
            throw new AssertionError("select must not create a backend");
        }
    }

    private static final FakeProvider CUDA = FakeProvider.unavailable("cuda", 300, "no NVIDIA driver (libcuda.so.1)");
    private static final FakeProvider OPENCL = FakeProvider.available("opencl", 200);
    private static final FakeProvider CPU = FakeProvider.available("cpu", 100);
    private static final List<BackendProvider> ALL = List.of(CUDA, OPENCL, CPU);

    @Test
    void selectsByNameIgnoringCaseAndSpaces() {
        assertSame(CPU, Backends.select(ALL, "cpu"));
        assertSame(CPU, Backends.select(ALL, "CPU"));
        assertSame(OPENCL, Backends.select(ALL, " OpenCL "));
    }

    @Test
    void aNameBelowTheBestIsStillHonoured() {
        assertSame(CPU, Backends.select(List.of(FakeProvider.available("cuda", 300), CPU), "cpu"));
    }

    @Test
    void unknownNameListsTheBackendsFound() {
        BackendException e = assertThrows(BackendException.class, () -> Backends.select(ALL, "ROCm"));
        assertContains(
                e,
                "Backend 'ROCm' was requested",
                "but is not on the class path",
                "cuda",
                "no NVIDIA driver (libcuda.so.1)",
                "opencl",
                "opencl device",
                "cpu",
                "cpu device",
                "Add its jar (e.g. sparselinear-backend-ROCm)");
    }

    @Test
    void unavailableRequestedBackendGivesTheReason() {
        BackendException e = assertThrows(BackendException.class, () -> Backends.select(ALL, "cuda"));
        assertContains(
                e,
                "Backend 'cuda' was requested but is unavailable: no NVIDIA driver (libcuda.so.1)",
                "-D" + Backends.PROPERTY + "=NAME",
                Backends.ENVIRONMENT);
    }

    @Test
    void withoutANameTheBestAvailableWins() {
        assertSame(OPENCL, Backends.select(ALL, null));
        assertSame(OPENCL, Backends.select(ALL, ""));
        assertSame(OPENCL, Backends.select(ALL, "  "));
        assertSame(
                CPU, Backends.select(List.of(CUDA, FakeProvider.unavailable("opencl", 200, "no platform"), CPU), null));
    }

    @Test
    void aProbeThatThrowsLinkageErrorIsReportedUnavailable() {
        FakeProvider broken = new FakeProvider("cuda", 300, () -> {
            throw new UnsatisfiedLinkError("no JCudaDriver in java.library.path");
        });
        List<BackendProvider> found = List.of(broken, CPU);
        assertSame(CPU, Backends.select(found, null));
        BackendException e = assertThrows(BackendException.class, () -> Backends.select(found, "cuda"));
        assertContains(e, "unavailable: probe failed: java.lang.UnsatisfiedLinkError: no JCudaDriver");
        assertTrue(Backends.describe(found).contains("unavailable"), Backends.describe(found));
    }

    @Test
    void aProbeThatThrowsARuntimeExceptionIsReportedUnavailable() {
        FakeProvider broken = new FakeProvider("opencl", 200, () -> {
            throw new IllegalStateException("CL_PLATFORM_NOT_FOUND_KHR");
        });
        assertSame(CPU, Backends.select(List.of(broken, CPU), null));
        assertTrue(Backends.describe(List.of(broken))
                .contains("probe failed: java.lang.IllegalStateException: " + "CL_PLATFORM_NOT_FOUND_KHR"));
    }

    @Test
    void noAvailableBackendIsAClearError() {
        List<BackendProvider> found = List.of(CUDA, FakeProvider.unavailable("opencl", 200, "no OpenCL platform"));
        BackendException e = assertThrows(BackendException.class, () -> Backends.select(found, null));
        assertContains(
                e,
                "No available SparseLinear backend",
                "no NVIDIA driver",
                "no OpenCL platform",
                "Add sparselinear-backend-cpu to the class path");
        BackendException none = assertThrows(BackendException.class, () -> Backends.select(List.of(), null));
        assertContains(none, "(no backend found on the class path)");
    }

    @Test
    void describeIsATableWithOneRowPerBackend() {
        String[] lines = Backends.describe(ALL).split("\\R");
        assertEquals(4, lines.length);
        assertTrue(lines[0].startsWith("backend") && lines[0].contains("priority") && lines[0].contains("status"));
        assertTrue(lines[1].matches("cuda\\s+300\\s+unavailable\\s+no NVIDIA driver \\(libcuda.so.1\\)"), lines[1]);
        assertTrue(lines[3].matches("cpu\\s+100\\s+available\\s+cpu device"), lines[3]);
    }

    @Test
    void theApiAloneFindsNoBackend() {
        assertEquals(List.of(), Backends.providers());
        BackendException e = assertThrows(BackendException.class, () -> Backends.get("cpu"));
        assertContains(e, "Backend 'cpu' was requested", "(no backend found on the class path)");
    }

    @Test
    void thePropertyNamesTheBackend() {
        String previous = System.getProperty(Backends.PROPERTY);
        try {
            System.setProperty(Backends.PROPERTY, "opencl");
            assertEquals("opencl", Backends.requestedName());
            System.setProperty(Backends.PROPERTY, " ");
            String environment = System.getenv(Backends.ENVIRONMENT);
            if (environment == null || environment.isBlank()) {
                assertNull(Backends.requestedName());
            } else {
                assertEquals(environment, Backends.requestedName());
            }
        } finally {
            if (previous == null) {
                System.clearProperty(Backends.PROPERTY);
            } else {
                System.setProperty(Backends.PROPERTY, previous);
            }
        }
    }

    private static void assertContains(Exception e, String... expected) {
        for (String part : expected) {
            assertTrue(e.getMessage().contains(part), () -> "expected '" + part + "' in: " + e.getMessage());
        }
    }

    @Test
    void thePropertyWinsOverTheEnvironmentVariableAndBlanksCountAsUnset() {
        assertEquals("cuda", Backends.requestedName("cuda", "opencl"));
        assertEquals("opencl", Backends.requestedName(null, "opencl"));
        assertEquals("opencl", Backends.requestedName("  ", "opencl"));
        assertNull(Backends.requestedName(null, " "));
        assertNull(Backends.requestedName(null, null));
    }
}
