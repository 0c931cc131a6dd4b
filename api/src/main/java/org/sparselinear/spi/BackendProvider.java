package org.sparselinear.spi;

import org.sparselinear.api.Backend;
import org.sparselinear.api.Backends;

/**
 * The cheap half of a backend, found with {@link java.util.ServiceLoader}: it names the
 * backend, ranks it, and probes whether it can run, without allocating anything. Register
 * implementations in {@code META-INF/services/org.sparselinear.spi.BackendProvider}.
 *
 * <p>Priorities of the shipped backends: cuda 300, opencl 200, cpu 100.
 */
public interface BackendProvider {

    /** The name users select it by, lower case ({@code "cpu"}, {@code "cuda"}). */
    String name();

    /** Higher wins when no backend is requested by name. */
    int priority();

    /**
     * Probes the machine. Must be cheap, must never throw (a missing native library surfaces
     * as a {@link LinkageError}: catch it and report it), and should cache its answer.
     */
    Availability availability();

    /** Creates the backend; only called when {@link #availability()} says it is available. */
    Backend create();

    /**
     * The devices this backend could use, one per line (e.g. OpenCL platforms and devices, the
     * selected one marked), for {@link Backends#describe()}; empty by default. Never throws.
     */
    default String devices() {
        return "";
    }
}
