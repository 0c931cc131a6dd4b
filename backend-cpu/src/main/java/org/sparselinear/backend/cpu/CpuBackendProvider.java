package org.sparselinear.backend.cpu;

import org.sparselinear.api.Backend;
import org.sparselinear.spi.Availability;
import org.sparselinear.spi.BackendProvider;

/**
 * Registers the pure-Java {@link CpuBackend} as {@code "cpu"}, priority 100: it runs everywhere.
 * A bad {@value CpuBackend#THREADS_PROPERTY} does not make it unavailable, which would let
 * {@link org.sparselinear.api.Backends#get()} fall back to another backend without a word:
 * it stays available, its detail names the problem, and creating it fails with that message.
 */
public final class CpuBackendProvider implements BackendProvider {

    @Override
    public String name() {
        return CpuBackend.NAME;
    }

    @Override
    public int priority() {
        return 100;
    }

    @Override
    public Availability availability() {
        try {
            return Availability.available("Java " + Runtime.version().feature() + ", " + CpuBackend.defaultThreads()
                    + " threads (of " + Runtime.getRuntime().availableProcessors() + " cores)");
        } catch (IllegalArgumentException e) {
            return Availability.available(
                    "Java " + Runtime.version().feature() + ", but creating it fails: " + e.getMessage());
        }
    }

    @Override
    public Backend create() {
        return new CpuBackend(CpuBackend.defaultThreads());
    }
}
