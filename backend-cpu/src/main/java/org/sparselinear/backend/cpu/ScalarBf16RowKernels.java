package org.sparselinear.backend.cpu;

/** {@link Bf16RowKernels} in plain Java, for any JVM; four independent sums at batch one, as {@link ScalarRowKernels}. */
final class ScalarBf16RowKernels implements Bf16RowKernels {

    @Override
    public float gatherDot(int start, int end, char[] low, int base, short[] values, float[] in, int[] scratch) {
        float s0 = 0;
        float s1 = 0;
        float s2 = 0;
        float s3 = 0;
        int k = start;
        for (; k + 3 < end; k += 4) {
            s0 += Bf16RowKernels.widen(values[k]) * in[base + low[k]];
            s1 += Bf16RowKernels.widen(values[k + 1]) * in[base + low[k + 1]];
            s2 += Bf16RowKernels.widen(values[k + 2]) * in[base + low[k + 2]];
            s3 += Bf16RowKernels.widen(values[k + 3]) * in[base + low[k + 3]];
        }
        for (; k < end; k++) {
            s0 += Bf16RowKernels.widen(values[k]) * in[base + low[k]];
        }
        return (s0 + s1) + (s2 + s3);
    }

    @Override
    public void gatherRow(
            int start,
            int end,
            int[] index,
            int indexShift,
            short[] values,
            float[] in,
            int batch,
            float[] out,
            int offset,
            boolean accumulate) {
        for (int b = 0; b < batch; b++) {
            float sum = accumulate ? out[offset + b] : 0f;
            for (int k = start; k < end; k++) {
                sum += Bf16RowKernels.widen(values[k]) * in[index[k - indexShift] * batch + b];
            }
            out[offset + b] = sum;
        }
    }
}
