package org.sparselinear.backend.cpu;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.IntVector;
import jdk.incubator.vector.ShortVector;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorShape;
import jdk.incubator.vector.VectorSpecies;

/**
 * {@link Bf16RowKernels} with the Vector API. A batch of one loads one vector of bfloat16 values
 * per step (half the width in bits), widens them to int lanes, shifts them left by 16 and
 * reinterprets the lanes as floats, then multiplies them by a gather of the inputs, whose 16-bit
 * column indices are widened the same way (zero-extended) into a scratch vector of ints that the
 * gather reads (JDK 17 gathers only through an {@code int[]} map). Larger batches
 * broadcast each widened value into the feature-major axpy of {@link VectorRowKernels}: the batch
 * in blocks of four vectors kept in registers over the whole row.
 */
final class VectorBf16RowKernels implements Bf16RowKernels {

    private static final VectorSpecies<Float> FLOATS = FloatVector.SPECIES_PREFERRED;
    private static final int LANES = FLOATS.length();
    private static final VectorSpecies<Integer> INTS = IntVector.SPECIES_PREFERRED;
    private static final VectorSpecies<Short> SHORTS =
            VectorSpecies.of(short.class, VectorShape.forBitSize(LANES * Short.SIZE));

    private final ScalarBf16RowKernels scalar = new ScalarBf16RowKernels();

    @Override
    public float gatherDot(int start, int end, char[] low, int base, short[] values, float[] in, int[] scratch) {
        FloatVector sum = FloatVector.zero(FLOATS);
        int k = start;
        for (; k + LANES <= end; k += LANES) {
            VectorRowKernels.widen(low, k, scratch, 0);
            FloatVector w = ((IntVector)
                            ShortVector.fromArray(SHORTS, values, k).convertShape(VectorOperators.S2I, INTS, 0))
                    .lanewise(VectorOperators.LSHL, 16)
                    .reinterpretAsFloats();
            sum = FloatVector.fromArray(FLOATS, in, base, scratch, 0).fma(w, sum);
        }
        float total = sum.reduceLanes(VectorOperators.ADD);
        for (; k < end; k++) {
            total += Bf16RowKernels.widen(values[k]) * in[base + low[k]];
        }
        return total;
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
        if (batch < LANES) {
            scalar.gatherRow(start, end, index, indexShift, values, in, batch, out, offset, accumulate);
        } else {
            axpyRows(start, end, index, indexShift, values, in, batch, out, offset, accumulate);
        }
    }

    /** Batch of at least one vector: each widened value broadcast into axpys over the batch. */
    private static void axpyRows(
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
        int b = 0;
        for (; b + 4 * LANES <= batch; b += 4 * LANES) {
            int o = offset + b;
            FloatVector a0 = accumulate ? FloatVector.fromArray(FLOATS, out, o) : FloatVector.zero(FLOATS);
            FloatVector a1 = accumulate ? FloatVector.fromArray(FLOATS, out, o + LANES) : FloatVector.zero(FLOATS);
            FloatVector a2 = accumulate ? FloatVector.fromArray(FLOATS, out, o + 2 * LANES) : FloatVector.zero(FLOATS);
            FloatVector a3 = accumulate ? FloatVector.fromArray(FLOATS, out, o + 3 * LANES) : FloatVector.zero(FLOATS);
            for (int k = start; k < end; k++) {
                FloatVector w = FloatVector.broadcast(FLOATS, Bf16RowKernels.widen(values[k]));
                int source = index[k - indexShift] * batch + b;
                a0 = FloatVector.fromArray(FLOATS, in, source).fma(w, a0);
                a1 = FloatVector.fromArray(FLOATS, in, source + LANES).fma(w, a1);
                a2 = FloatVector.fromArray(FLOATS, in, source + 2 * LANES).fma(w, a2);
                a3 = FloatVector.fromArray(FLOATS, in, source + 3 * LANES).fma(w, a3);
            }
            a0.intoArray(out, o);
            a1.intoArray(out, o + LANES);
            a2.intoArray(out, o + 2 * LANES);
            a3.intoArray(out, o + 3 * LANES);
        }
        for (; b + LANES <= batch; b += LANES) {
            FloatVector a0 = accumulate ? FloatVector.fromArray(FLOATS, out, offset + b) : FloatVector.zero(FLOATS);
            for (int k = start; k < end; k++) {
                FloatVector w = FloatVector.broadcast(FLOATS, Bf16RowKernels.widen(values[k]));
                a0 = FloatVector.fromArray(FLOATS, in, index[k - indexShift] * batch + b)
                        .fma(w, a0);
            }
            a0.intoArray(out, offset + b);
        }
        for (; b < batch; b++) {
            float sum = accumulate ? out[offset + b] : 0f;
            for (int k = start; k < end; k++) {
                sum += Bf16RowKernels.widen(values[k]) * in[index[k - indexShift] * batch + b];
            }
            out[offset + b] = sum;
        }
    }
}
