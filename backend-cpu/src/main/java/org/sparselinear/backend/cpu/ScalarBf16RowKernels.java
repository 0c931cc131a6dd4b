package org.sparselinear.backend.cpu;

/** {@link Bf16RowKernels} in plain Java, for any JVM. */
final class ScalarBf16RowKernels implements Bf16RowKernels {

    @Override
    public void gatherRow(
            int start,
            int end,
            int[] index,
            short[] values,
            float[] in,
            int batch,
            float[] out,
            int offset,
            boolean accumulate) {
        for (int b = 0; b < batch; b++) {
            float sum = accumulate ? out[offset + b] : 0f;
            for (int k = start; k < end; k++) {
                sum += Bf16RowKernels.widen(values[k]) * in[index[k] * batch + b];
            }
            out[offset + b] = sum;
        }
    }
}
