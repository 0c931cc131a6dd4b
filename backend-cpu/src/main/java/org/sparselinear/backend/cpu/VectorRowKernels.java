package org.sparselinear.backend.cpu;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.IntVector;
import jdk.incubator.vector.ShortVector;
import jdk.incubator.vector.VectorMask;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorShape;
import jdk.incubator.vector.VectorSpecies;

/**
 * The inner loops with explicit SIMD through the Vector API ({@code jdk.incubator.vector}),
 * used when the JVM runs with {@code --add-modules jdk.incubator.vector}; see {@link Simd}.
 *
 * <p>A gathered row keeps its output in registers: the batch is cut into blocks of four vectors
 * (64 floats with AVX-512), and each block sums every entry of the row before it is stored once,
 * so an entry costs four loads and four fused multiply-adds. A batch of one gathers the inputs
 * of sixteen entries per vector load. Other batches narrower than one vector,
 * and the last lanes of other batches, take the scalar loops (masked vector operations are not
 * intrinsified on JDK 17 and would be slower).
 *
 * <p>Adagrad reads one vector of gradients at a time and goes on at once when all of it is zero,
 * as much of a first layer fed sparse inputs is; otherwise it updates the whole vector and blends
 * the old values back into the lanes of zero gradient before the (unmasked) stores, so those
 * keep their bits.
 */
final class VectorRowKernels implements RowKernels {

    private static final VectorSpecies<Float> SPECIES = FloatVector.SPECIES_PREFERRED;
    private static final int LANES = SPECIES.length();
    private static final VectorSpecies<Integer> INTS = VectorSpecies.of(int.class, SPECIES.vectorShape());
    private static final VectorSpecies<Short> SHORTS =
            VectorSpecies.of(short.class, VectorShape.forBitSize(SPECIES.vectorBitSize() / 2));

    private final ScalarRowKernels scalar = new ScalarRowKernels();

    /** Width of the vectors used, in floats. */
    static int lanes() {
        return LANES;
    }

    @Override
    public void gatherRow(
            int start,
            int end,
            int[] index,
            int indexShift,
            int[] positions,
            float[] values,
            float[] in,
            int batch,
            float[] out,
            int offset,
            boolean accumulate) {
        if (batch < LANES) {
            scalar.gatherRow(start, end, index, indexShift, positions, values, in, batch, out, offset, accumulate);
            return;
        }
        int b = 0;
        for (; b + 4 * LANES <= batch; b += 4 * LANES) {
            int o = offset + b;
            FloatVector a0 = accumulate ? FloatVector.fromArray(SPECIES, out, o) : FloatVector.zero(SPECIES);
            FloatVector a1 = accumulate ? FloatVector.fromArray(SPECIES, out, o + LANES) : FloatVector.zero(SPECIES);
            FloatVector a2 =
                    accumulate ? FloatVector.fromArray(SPECIES, out, o + 2 * LANES) : FloatVector.zero(SPECIES);
            FloatVector a3 =
                    accumulate ? FloatVector.fromArray(SPECIES, out, o + 3 * LANES) : FloatVector.zero(SPECIES);
            for (int k = start; k < end; k++) {
                FloatVector w = FloatVector.broadcast(SPECIES, values[positions == null ? k : positions[k]]);
                int source = index[k - indexShift] * batch + b;
                a0 = FloatVector.fromArray(SPECIES, in, source).fma(w, a0);
                a1 = FloatVector.fromArray(SPECIES, in, source + LANES).fma(w, a1);
                a2 = FloatVector.fromArray(SPECIES, in, source + 2 * LANES).fma(w, a2);
                a3 = FloatVector.fromArray(SPECIES, in, source + 3 * LANES).fma(w, a3);
            }
            a0.intoArray(out, o);
            a1.intoArray(out, o + LANES);
            a2.intoArray(out, o + 2 * LANES);
            a3.intoArray(out, o + 3 * LANES);
        }
        for (; b + LANES <= batch; b += LANES) {
            FloatVector a0 = accumulate ? FloatVector.fromArray(SPECIES, out, offset + b) : FloatVector.zero(SPECIES);
            for (int k = start; k < end; k++) {
                FloatVector w = FloatVector.broadcast(SPECIES, values[positions == null ? k : positions[k]]);
                a0 = FloatVector.fromArray(SPECIES, in, index[k - indexShift] * batch + b)
                        .fma(w, a0);
            }
            a0.intoArray(out, offset + b);
        }
        for (; b < batch; b++) {
            float sum = accumulate ? out[offset + b] : 0f;
            for (int k = start; k < end; k++) {
                sum += values[positions == null ? k : positions[k]] * in[index[k - indexShift] * batch + b];
            }
            out[offset + b] = sum;
        }
    }

    /** Sixteen-bit indices widened a vector at a time (a sign-extending cast, the high half cleared, the base added). */
    @Override
    public void widen(char[] low, int start, int end, int base, int[] columns, int offset) {
        int k = start;
        for (; k + LANES <= end; k += LANES) {
            widened(low, k).add(base).intoArray(columns, offset + k - start);
        }
        scalar.widen(low, k, end, base, columns, offset + k - start);
    }

    /**
     * Batch of one: the sixteen-bit indices of a vector of entries are widened to ints (a
     * sign-extending cast, then the high half cleared), stored in {@code scratch} and gathered
     * from {@code in} at {@code base}; two sums hide the latency of the fused multiply-add.
     */
    @Override
    public float gatherDot(int start, int end, char[] low, int base, float[] values, float[] in, int[] scratch) {
        FloatVector s0 = FloatVector.zero(SPECIES);
        FloatVector s1 = FloatVector.zero(SPECIES);
        int k = start;
        for (; k + 2 * LANES <= end; k += 2 * LANES) {
            widen(low, k, scratch, 0);
            widen(low, k + LANES, scratch, LANES);
            s0 = FloatVector.fromArray(SPECIES, in, base, scratch, 0)
                    .fma(FloatVector.fromArray(SPECIES, values, k), s0);
            s1 = FloatVector.fromArray(SPECIES, in, base, scratch, LANES)
                    .fma(FloatVector.fromArray(SPECIES, values, k + LANES), s1);
        }
        if (k + LANES <= end) {
            widen(low, k, scratch, 0);
            s0 = FloatVector.fromArray(SPECIES, in, base, scratch, 0)
                    .fma(FloatVector.fromArray(SPECIES, values, k), s0);
            k += LANES;
        }
        float total = s0.add(s1).reduceLanes(VectorOperators.ADD);
        for (; k < end; k++) {
            total += values[k] * in[base + low[k]];
        }
        return total;
    }

    /**
     * Batch of one: per vector of entries, the weight gradient is a gather of {@code x} and one
     * contiguous store; {@code dx} is updated by scalar read-modify-writes through the widened
     * indices (a gather-add-scatter is slower on the AMD Zen 4 this was measured on).
     */
    @Override
    public void scatterRow(
            int start,
            int end,
            char[] low,
            int base,
            float[] values,
            float d,
            float[] dx,
            float[] x,
            float[] dValues,
            boolean accumulateDValues,
            int[] scratch) {
        int k = start;
        for (; k + LANES <= end; k += LANES) {
            widen(low, k, scratch, 0);
            if (x != null) {
                FloatVector g =
                        FloatVector.fromArray(SPECIES, x, base, scratch, 0).mul(d);
                if (accumulateDValues) {
                    g = FloatVector.fromArray(SPECIES, dValues, k).add(g);
                }
                g.intoArray(dValues, k);
            }
            for (int j = 0; j < LANES; j++) {
                dx[base + scratch[j]] += values[k + j] * d;
            }
        }
        scalar.scatterRow(k, end, low, base, values, d, dx, x, dValues, accumulateDValues, scratch);
    }

    /** {@code scratch[at : at + LANES] = low[k : k + LANES]}, as unsigned ints. */
    private static void widen(char[] low, int k, int[] scratch, int at) {
        widened(low, k).intoArray(scratch, at);
    }

    /** {@code low[k : k + LANES]} as unsigned ints. */
    private static IntVector widened(char[] low, int k) {
        return ShortVector.fromCharArray(SHORTS, low, k)
                .convertShape(VectorOperators.S2I, INTS, 0)
                .reinterpretAsInts()
                .and(0xFFFF);
    }

    @Override
    public float dot(float[] a, int aOffset, float[] b, int bOffset, int length) {
        if (length < LANES) {
            return scalar.dot(a, aOffset, b, bOffset, length);
        }
        FloatVector s0 = FloatVector.zero(SPECIES);
        FloatVector s1 = FloatVector.zero(SPECIES);
        int i = 0;
        for (; i + 2 * LANES <= length; i += 2 * LANES) {
            s0 = FloatVector.fromArray(SPECIES, a, aOffset + i).fma(FloatVector.fromArray(SPECIES, b, bOffset + i), s0);
            s1 = FloatVector.fromArray(SPECIES, a, aOffset + i + LANES)
                    .fma(FloatVector.fromArray(SPECIES, b, bOffset + i + LANES), s1);
        }
        for (; i + LANES <= length; i += LANES) {
            s0 = FloatVector.fromArray(SPECIES, a, aOffset + i).fma(FloatVector.fromArray(SPECIES, b, bOffset + i), s0);
        }
        float sum = s0.add(s1).reduceLanes(VectorOperators.ADD);
        for (; i < length; i++) {
            sum += a[aOffset + i] * b[bOffset + i];
        }
        return sum;
    }

    @Override
    public void adagrad(
            float[] p, float[] g, float[] sum, float weightDecay, float epsilon, float stepSize, int start, int end) {
        int i = start;
        for (; i + LANES <= end; i += LANES) {
            FloatVector d = FloatVector.fromArray(SPECIES, g, i);
            if (weightDecay != 0f) {
                d = d.add(FloatVector.fromArray(SPECIES, p, i).mul(weightDecay));
            }
            VectorMask<Float> touched = d.compare(VectorOperators.NE, 0f);
            if (touched.anyTrue()) {
                FloatVector oldSum = FloatVector.fromArray(SPECIES, sum, i);
                FloatVector oldValue = FloatVector.fromArray(SPECIES, p, i);
                FloatVector accumulated = oldSum.add(d.mul(d));
                FloatVector value =
                        oldValue.sub(d.div(accumulated.sqrt().add(epsilon)).mul(stepSize));
                oldSum.blend(accumulated, touched).intoArray(sum, i);
                oldValue.blend(value, touched).intoArray(p, i);
            }
        }
        scalar.adagrad(p, g, sum, weightDecay, epsilon, stepSize, i, end);
    }
}
