package org.sparselinear.backend.cpu;

/**
 * The inner loop of the bfloat16 forward product on feature-major data: a gathered sum of input
 * rows weighted by bfloat16 values widened to float32 (the 16 bits shifted left by 16) and summed
 * in float32. Two implementations, chosen like {@link RowKernels}: {@link ScalarBf16RowKernels}
 * and {@link VectorBf16RowKernels} (Vector API).
 */
interface Bf16RowKernels {

    /**
     * {@code out[offset : offset + batch] (+)= sum over entries k in [start, end) of
     * float(values[k]) * in[index[k] * batch : + batch]}.
     */
    void gatherRow(
            int start,
            int end,
            int[] index,
            short[] values,
            float[] in,
            int batch,
            float[] out,
            int offset,
            boolean accumulate);

    /** The float32 value of bfloat16 bits. */
    static float widen(short bits) {
        return Float.intBitsToFloat(bits << 16);
    }
}
