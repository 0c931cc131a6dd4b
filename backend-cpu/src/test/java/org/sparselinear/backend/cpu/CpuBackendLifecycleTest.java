package org.sparselinear.backend.cpu;

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

    @Test
    void aBadThreadSettingMakesTheProviderUnavailableWithTheReason() {
        String previous = System.getProperty(CpuBackend.THREADS_PROPERTY);
        System.setProperty(CpuBackend.THREADS_PROPERTY, "many");
        try {
            var availability = new CpuBackendProvider().availability();
            assertTrue(
                    !availability.available() && availability.detail().contains("positive integer"),
                    availability.detail());
        } finally {
            if (previous == null) {
                System.clearProperty(CpuBackend.THREADS_PROPERTY);
            } else {
                System.setProperty(CpuBackend.THREADS_PROPERTY, previous);
            }
        }
    }
}
