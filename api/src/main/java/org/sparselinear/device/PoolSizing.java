package org.sparselinear.device;

/**
 * How much device memory the GPU backends keep in their {@link DeviceBufferPool}, and what a pattern costs there.
 * The pool keeps at most a quarter of the device's memory in free buffers unless a system property (one per
 * backend, e.g. {@code sparselinear.opencl.poolBytes}) names a number of bytes.
 */
public final class PoolSizing {

    /** The share of device memory kept in free pooled buffers by default: one part in this many. */
    public static final int DEFAULT_MEMORY_DIVISOR = 4;

    private PoolSizing() {}

    /**
     * The free bytes the pool may keep, as the system property {@code property} sets it: {@code -1} when it is
     * unset or blank (the backend then uses {@link #defaultLimit}).
     *
     * @throws IllegalArgumentException when the property is not a number of bytes {@code >= 0}
     */
    public static long configuredLimit(String property) {
        String configured = System.getProperty(property);
        if (configured == null || configured.isBlank()) {
            return -1;
        }
        try {
            long limit = Long.parseLong(configured.trim());
            if (limit >= 0) {
                return limit;
            }
        } catch (NumberFormatException e) {
            // reported below, with the property's name
        }
        throw new IllegalArgumentException("-D" + property + " must be a number of bytes >= 0, got '" + configured
                + "'; leave it unset to keep up to a quarter of the device's memory");
    }

    /** {@code configured} when it is {@code >= 0}, else a quarter of {@code deviceMemory}. */
    public static long limit(long configured, long deviceMemory) {
        return configured >= 0 ? configured : deviceMemory / DEFAULT_MEMORY_DIVISOR;
    }

    /**
     * The pooled device bytes of a pattern in the {@link DevicePatternArrays} layout: the two pointer arrays and
     * four arrays of {@code nnz} ints (16 bytes per connection), each rounded up to its size class.
     */
    public static long patternBytes(int rows, int columns, long nnz) {
        return DeviceBufferPool.sizeClass(4L * (rows + 1))
                + DeviceBufferPool.sizeClass(4L * (columns + 1))
                + 4 * DeviceBufferPool.sizeClass(4L * nnz);
    }
}
