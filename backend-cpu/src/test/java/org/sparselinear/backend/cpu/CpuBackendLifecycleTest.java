package org.sparselinear.backend.cpu;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;
import org.sparselinear.api.Backend;
import org.sparselinear.api.Backends;
import org.sparselinear.api.DenseMatrix;

class CpuBackendLifecycleTest {

    @Test
    void aClosedBackendRefusesWorkWithAClearMessage() {
        CpuBackend backend = new CpuBackend(2);
        DenseMatrix m = backend.zeros(2, 3);
        backend.close();
        backend.close();
        var error = assertThrows(IllegalStateException.class, () -> backend.fill(m, 1f));
        assertTrue(error.getMessage().contains("was closed"), error.getMessage());
        assertTrue(backend.isClosed());
    }

    @Test
    void backendsReplacesAClosedSharedBackend() {
        Backend first = Backends.get("cpu");
        assertSame(first, Backends.get("cpu"));
        first.close();
        Backend second = Backends.get("cpu");
        assertNotSame(first, second);
        second.fill(second.zeros(1, 1), 2f);
    }

    /** Runs {@code check} with {@value CpuBackend#THREADS_PROPERTY} set to {@code value}, then restores it. */
    private static void withThreadsProperty(String value, Runnable check) {
        String previous = System.getProperty(CpuBackend.THREADS_PROPERTY);
        System.setProperty(CpuBackend.THREADS_PROPERTY, value);
        try {
            check.run();
        } finally {
            if (previous == null) {
                System.clearProperty(CpuBackend.THREADS_PROPERTY);
            } else {
                System.setProperty(CpuBackend.THREADS_PROPERTY, previous);
            }
        }
    }

    @Test
    void aBadThreadSettingFailsCreationWithTheReasonInsteadOfLettingAnotherBackendBeChosen() {
        withThreadsProperty("many", () -> {
            var provider = new CpuBackendProvider();
            var availability = provider.availability();
            // Unavailable, the selection by priority would silently take the next backend.
            assertTrue(availability.available(), availability.detail());
            assertTrue(availability.detail().contains("creating it fails"), availability.detail());
            assertTrue(availability.detail().contains("positive integer, got 'many'"), availability.detail());
            var error = assertThrows(IllegalArgumentException.class, provider::create);
            assertTrue(error.getMessage().contains("positive integer, got 'many'"), error.getMessage());
        });
    }

    @Test
    void moreThreadsThanThePoolHoldsAreRefusedWithTheCap() {
        withThreadsProperty("100000", () -> {
            var availability = new CpuBackendProvider().availability();
            assertFalse(availability.detail().contains("100000 threads"), availability.detail());
            assertTrue(availability.detail().contains("at most 32767"), availability.detail());
        });
        var error = assertThrows(IllegalArgumentException.class, () -> new CpuBackend(100_000));
        assertTrue(error.getMessage().contains("threads must be at most 32767"), error.getMessage());
        assertTrue(error.getMessage().contains("cap of the Java thread pool"), error.getMessage());
    }
}
