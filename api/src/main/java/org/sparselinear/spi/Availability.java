package org.sparselinear.spi;

import java.util.Objects;

/**
 * Whether a backend can run on this machine, and if not, why (no driver, no OpenCL platform,
 * a native library that does not load).
 *
 * @param available whether {@link BackendProvider#create()} may be called
 * @param detail the device found when available, the reason when not
 */
public record Availability(boolean available, String detail) {

    /** Checks that the detail is present. */
    public Availability {
        Objects.requireNonNull(detail, "detail");
    }

    /** An available backend, with a line describing its device. */
    public static Availability available(String device) {
        return new Availability(true, device);
    }

    /** An unavailable backend, with the reason. */
    public static Availability unavailable(String reason) {
        return new Availability(false, reason);
    }
}
