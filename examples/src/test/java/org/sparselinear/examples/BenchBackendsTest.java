package org.sparselinear.examples;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.sparselinear.api.Backend;
import org.sparselinear.api.BackendException;
import org.sparselinear.api.Backends;
import org.sparselinear.spi.Availability;
import org.sparselinear.spi.BackendProvider;

/** Which backends {@code bench} measures (no benchmark is run). */
class BenchBackendsTest {

    /** A provider that is never created: bench only asks for its name and availability. */
    private record Listed(String name, boolean available) implements BackendProvider {

        @Override
        public int priority() {
            return 0;
        }

        @Override
        public Availability availability() {
            return available ? Availability.available("test device") : Availability.unavailable("not here");
        }

        @Override
        public Backend create() {
            throw new AssertionError("bench never creates a backend itself; the benchmark JVMs do");
        }
    }

    private static final List<BackendProvider> FOUND =
            List.of(new Listed("opencl", true), new Listed("cpu", true), new Listed("cuda", false));

    @Test
    void aNamedBackendIsTheOnlyOneMeasured() {
        assertEquals(List.of(FOUND.get(1)), BenchCommand.backendsToRun(FOUND, "cpu"));
        assertEquals(List.of(FOUND.get(0)), BenchCommand.backendsToRun(FOUND, "OpenCL"), "names ignore case");
    }

    @Test
    void withoutANameEveryBackendIsListed() {
        assertEquals(FOUND, BenchCommand.backendsToRun(FOUND, null));
    }

    @Test
    void aMissingOrUnavailableBackendIsAnError() {
        var missing = assertThrows(BackendException.class, () -> BenchCommand.backendsToRun(FOUND, "metal"));
        assertTrue(
                missing.getMessage().contains("'metal'") && missing.getMessage().contains("not on the class path"),
                missing.getMessage());
        var unavailable = assertThrows(BackendException.class, () -> BenchCommand.backendsToRun(FOUND, "cuda"));
        assertTrue(unavailable.getMessage().contains("not here"), unavailable.getMessage());
    }

    @Test
    void theCommandRefusesAMissingBackendBeforeMeasuringAnything() {
        String before = System.getProperty(Backends.PROPERTY);
        try {
            CliHarness.Result result = CliHarness.run("bench", "--backend", "metal", "--cases", "A");
            assertEquals(2, result.exitCode(), result.err());
            assertTrue(result.err().startsWith("sparselinear bench: Backend 'metal' was requested"), result.err());
            assertFalse(result.out().contains("memory read bandwidth"), "no benchmark ran: " + result.out());
        } finally {
            // --backend sets the property for the whole JVM; the other tests run on the default.
            if (before == null) {
                System.clearProperty(Backends.PROPERTY);
            } else {
                System.setProperty(Backends.PROPERTY, before);
            }
        }
    }
}
