package org.sparselinear.nn;

import java.util.Locale;
import org.sparselinear.api.Backend;

/**
 * What a sparse layer will occupy, estimated before anything is allocated, so that a layer too
 * large for the machine fails with the numbers (bytes needed and available) instead of an
 * {@link OutOfMemoryError} deep inside a topology or a kernel.
 *
 * <p>Host: the {@link org.sparselinear.api.Connectivity} (row pointers and 4 bytes per connection).
 * Backend: the device pattern ({@link Backend#patternBytes}), the weights and their gradient
 * (8 bytes per connection) and the bias with its gradient. Optimizer state (4 bytes per
 * connection for SGD with momentum, 8 for Adam) comes later and is named in the message.
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
     * @throws IllegalStateException with bytes needed and available and what to do
     */
    static void requireFits(Backend backend, int in, int out, long nnz, boolean bias, String layer) {
        long host = hostBytes(out, nnz);
        long device = backendBytes(backend, in, out, nnz, bias);
        Runtime runtime = Runtime.getRuntime();
        long heapFree = runtime.maxMemory() - (runtime.totalMemory() - runtime.freeMemory());
        long heapNeed = backend.usesHostMemory() ? host + device : host;
        if (heapNeed > heapFree) {
            throw new IllegalStateException(String.format(
                    Locale.ROOT,
                    "%s with %,d connections needs about %.2f GiB of Java heap (pattern %.2f GiB%s) but only %.2f GiB "
                            + "is free (maximum heap %.2f GiB), plus 4-8 bytes per connection of optimizer state later. "
                            + "Give the JVM more memory (-Xmx, or SPARSELINEAR_HEAP=16g for ./sparselinear) or raise "
                            + "the sparsity.",
                    layer,
                    nnz,
                    heapNeed / GIB,
                    host / GIB,
                    backend.usesHostMemory()
                            ? String.format(Locale.ROOT, ", on backend %s %.2f GiB", backend.name(), device / GIB)
                            : "",
                    heapFree / GIB,
                    runtime.maxMemory() / GIB));
        }
        if (!backend.usesHostMemory() && device > backend.availableBytes()) {
            throw new IllegalStateException(String.format(
                    Locale.ROOT,
                    "%s with %,d connections needs about %.2f GiB on backend %s but only %.2f GiB is free there, plus "
                            + "4-8 bytes per connection of optimizer state later. Raise the sparsity, free device memory "
                            + "or pick another backend.",
                    layer,
                    nnz,
                    device / GIB,
                    backend.name(),
                    backend.availableBytes() / GIB));
        }
    }
}
