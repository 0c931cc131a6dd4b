package org.sparselinear.backend.cuda;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeFalse;

import java.util.List;
import java.util.ServiceLoader;
import org.junit.jupiter.api.Test;
import org.sparselinear.api.Backend;
import org.sparselinear.api.BackendException;
import org.sparselinear.api.Backends;
import org.sparselinear.spi.Availability;
import org.sparselinear.spi.BackendProvider;

/** Registration, priority and fail-over of the provider. */
class CudaBackendProviderTest {

    /** A stand-in for the CPU backend's provider: always available, priority 100. */
    private record AvailableProvider(String name, int priority) implements BackendProvider {
        @Override
        public Availability availability() {
            return Availability.available("stand-in");
        }

        @Override
        public Backend create() {
            throw new UnsupportedOperationException("stand-in");
        }
    }

    @Test
    void isRegisteredAsCudaWithPriority300() {
        BackendProvider found = ServiceLoader.load(BackendProvider.class).stream()
                .map(ServiceLoader.Provider::get)
                .filter(p -> p instanceof CudaBackendProvider)
                .findFirst()
                .orElseThrow(() -> new AssertionError("CudaBackendProvider is not in META-INF/services"));
        assertEquals("cuda", found.name());
        assertEquals(300, found.priority());
    }

    @Test
    void withoutCudaTheBackendIsSkippedForTheNextOne() {
        CudaBackendProvider cuda = new CudaBackendProvider();
        assumeFalse(cuda.availability().available(), "CUDA is available here");
        BackendProvider cpu = new AvailableProvider("cpu", 100);
        assertSame(cpu, Backends.select(List.of(cuda, cpu), null));
        assertEquals("", cuda.devices());
    }

    @Test
    void askingForCudaWithoutItFailsWithTheReason() {
        CudaBackendProvider cuda = new CudaBackendProvider();
        Availability availability = cuda.availability();
        assumeFalse(availability.available(), "CUDA is available here");
        BackendException e = assertThrows(
                BackendException.class,
                () -> Backends.select(List.of(cuda, new AvailableProvider("cpu", 100)), "cuda"));
        assertTrue(e.getMessage().contains(availability.detail()), e.getMessage());
        assertTrue(
                e.getMessage().startsWith("Backend 'cuda' was requested but is unavailable: CUDA unavailable: "),
                e.getMessage());
    }

    @Test
    void creatingItWithoutCudaFailsWithTheReason() {
        CudaBackendProvider cuda = new CudaBackendProvider();
        Availability availability = cuda.availability();
        assumeFalse(availability.available(), "CUDA is available here");
        BackendException e = assertThrows(BackendException.class, cuda::create);
        assertTrue(e.getMessage().startsWith("CUDA unavailable: "), e.getMessage());
    }

    @Test
    void aBadPropertyFailsBeforeTheDeviceIsOpened() {
        System.setProperty(CudaBackend.CUSPARSE_PROPERTY, "sometimes");
        try {
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> new CudaBackend());
            assertTrue(e.getMessage().contains("sometimes"), e.getMessage());
        } finally {
            System.clearProperty(CudaBackend.CUSPARSE_PROPERTY);
        }
        assertFalse(Boolean.getBoolean(CudaBackend.SYNCHRONOUS_PROPERTY));
    }
}
