package org.sparselinear.api;

import org.sparselinear.spi.Bf16Products;

/**
 * The weight values of a sparse layer rounded to bfloat16 for inference: a {@code (1, n)} vector
 * on a backend, made by {@link Bf16Products#toBf16} and multiplied by
 * {@link Bf16Products#spmmBf16}. It cannot be trained; widen it back to float32 with
 * {@link Bf16Products#fromBf16}.
 */
public interface Bf16Values extends DeviceResource {

    /** The number of values {@code n}: the connections of the pattern they belong to. */
    int length();

    /**
     * The bits each value takes on the device: 16 when the backend stores bfloat16 and has its own
     * product, 32 when it keeps the rounded values in float32 (the {@code AbstractBackend}
     * default; see {@link Bf16Products#storesBf16()}).
     */
    int bitsPerValue();
}
