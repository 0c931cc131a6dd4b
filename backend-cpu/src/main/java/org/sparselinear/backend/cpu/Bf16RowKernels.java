package org.sparselinear.backend.cpu;

/**
 * The inner loops of the bfloat16 forward product on feature-major data, over the compact column
 * indices of {@link CompactColumns}: weights are bfloat16 values widened to float32 (the 16 bits
 * shifted left by 16) and sums are float32. Two implementations, chosen like {@link RowKernels}:
 * {@link ScalarBf16RowKernels} and {@link VectorBf16RowKernels} (Vector API).
 */
interface Bf16RowKernels {

    /**
     * Batch of one, one segment of a compact row: {@code sum over k in [start, end) of
     * float(values[k]) * in[base + low[k]]}; {@code scratch} holds {@link RowKernels#SCRATCH_LENGTH}
     * ints the kernel may overwrite.
     */
    float gatherDot(int start, int end, char[] low, int base, short[] values, float[] in, int[] scratch);

    /**
     * {@code out[offset : offset + batch] (+)= sum over entries k in [start, end) of
     * float(values[k]) * in[index[k - indexShift] * batch : + batch]} ({@code index} holds the
     * decoded columns of these entries).
     */
    void gatherRow(
            int start,
            int end,
            int[] index,
            int indexShift,
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
