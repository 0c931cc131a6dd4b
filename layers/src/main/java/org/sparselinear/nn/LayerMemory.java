package org.sparselinear.nn;

import java.util.Locale;
import org.sparselinear.api.Backend;

/**
 * What a layer will occupy, estimated before anything is allocated, so that a layer too
 * large for the machine fails with the numbers (bytes needed and available) instead of an
 * {@link OutOfMemoryError} deep inside a topology or a kernel.
 *
 * <p>Host: the {@link org.sparselinear.api.Connectivity} (row pointers and 4 bytes per connection).
 * Backend: the device pattern ({@link Backend#patternBytes}), the weights and their gradient
 * (8 bytes per connection) and the bias with its gradient. Optimizer state (4 bytes per
 * connection for SGD with momentum, 8 for Adam) comes later and is named in the message. A dense
 * layer ({@link #requireDenseFits}) has no pattern but draws its initial weights in a host array
 * before uploading them.
 */
final class LayerMemory {

    private static final double GIB = 1024.0 * 1024 * 1024;

    private LayerMemory() {}

    /** Bytes of the host-side pattern. */
    static long hostBytes(int out, long nnz) {
        return 4L * (out + 1L) + 4L * nnz;
    }

    /** Bytes on the backend: pattern, weights and gradient, bias and gradient. */
    static long backendBytes(Backend backend, int in, int out, long nnz, boolean bias) {
        return backend.patternBytes(out, in, nnz) + 8L * nnz + (bias ? 8L * out : 0);
    }

    /**
     * Fails when a layer of {@code nnz} connections does not fit in what is available now.
     *
     * @throws InsufficientMemoryException with bytes needed and available and what to do
     */
    static void requireFits(Backend backend, int in, int out, long nnz, boolean bias, String layer) {
        requireFits(backend, hostBytes(out, nnz), backendBytes(backend, in, out, nnz, bias), nnz, "connections", layer);
    }

    /**
     * Fails when a dense layer of {@code in * out} weights does not fit in what is available now:
     * the initial values drawn on the heap (4 bytes per weight) and, on the backend, the weights
     * and their gradient (8 bytes per weight) and the bias with its gradient.
     *
     * @throws InsufficientMemoryException with bytes needed and available and what to do
     */
    static void requireDenseFits(Backend backend, int in, int out, boolean bias, String layer) {
        long weights = (long) in * out;
        requireFits(backend, 4L * weights, 8L * weights + (bias ? 8L * out : 0), weights, "weights", layer);
    }

    private static void requireFits(Backend backend, long host, long device, long count, String what, String layer) {
        Runtime runtime = Runtime.getRuntime();
        long heapFree = runtime.maxMemory() - (runtime.totalMemory() - runtime.freeMemory());
        long heapNeed = backend.usesHostMemory() ? host + device : host;
        if (heapNeed > heapFree) {
            throw new InsufficientMemoryException(String.format(
                    Locale.ROOT,
                    "%s with %,d %s needs about %.2f GiB of Java heap (host arrays %.2f GiB%s) but only %.2f GiB "
                            + "is free (maximum heap %.2f GiB), plus 4-8 bytes of optimizer state for each of them later. "
                            + "Give the JVM more memory (-Xmx, or SPARSELINEAR_HEAP=16g for ./sparselinear) or make the "
                            + "layer smaller or sparser.",
                    layer,
                    count,
                    what,
                    heapNeed / GIB,
                    host / GIB,
                    backend.usesHostMemory()
                            ? String.format(Locale.ROOT, ", on backend %s %.2f GiB", backend.name(), device / GIB)
                            : "",
                    heapFree / GIB,
                    runtime.maxMemory() / GIB));
        }
        if (!backend.usesHostMemory() && device > backend.availableBytes()) {
            throw new InsufficientMemoryException(String.format(
                    Locale.ROOT,
                    "%s with %,d %s needs about %.2f GiB on backend %s but only %.2f GiB is free there, plus "
                            + "4-8 bytes of optimizer state for each of them later. Make the layer smaller or sparser, "
                            + "free device memory or pick another backend.",
                    layer,
                    count,
                    what,
                    device / GIB,
                    backend.name(),
                    backend.availableBytes() / GIB));
        }
    }
}
