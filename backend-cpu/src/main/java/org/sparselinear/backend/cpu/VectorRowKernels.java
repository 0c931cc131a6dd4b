package org.sparselinear.backend.cpu;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.IntVector;
import jdk.incubator.vector.LongVector;
import jdk.incubator.vector.ShortVector;
import jdk.incubator.vector.VectorMask;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorShape;
import jdk.incubator.vector.VectorSpecies;
import org.sparselinear.spi.DropoutMask;

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

    /** Dropout's hash, in 64-bit lanes: two vectors of longs per vector of floats. */
    private static final VectorSpecies<Long> LONGS = VectorSpecies.of(long.class, SPECIES.vectorShape());

    /**
     * Whether dropout's hash runs in vectors: multiplying 64-bit lanes is an AVX-512 instruction
     * (vpmullq); narrower machines would emulate it, slower than the scalar loop.
     */
    private static final boolean VECTOR_HASH = LONGS.vectorBitSize() >= 512;

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

    /** As {@link #gatherRow}: the output in registers, a block of four vectors at a time. */
    @Override
    public void gatherSegment(
            int start, int end, char[] low, int base, float[] values, float[] in, int batch, float[] out, int offset) {
        int b = 0;
        for (; b + 4 * LANES <= batch; b += 4 * LANES) {
            int o = offset + b;
            FloatVector a0 = FloatVector.fromArray(SPECIES, out, o);
            FloatVector a1 = FloatVector.fromArray(SPECIES, out, o + LANES);
            FloatVector a2 = FloatVector.fromArray(SPECIES, out, o + 2 * LANES);
            FloatVector a3 = FloatVector.fromArray(SPECIES, out, o + 3 * LANES);
            for (int k = start; k < end; k++) {
                FloatVector w = FloatVector.broadcast(SPECIES, values[k]);
                int source = (base + low[k]) * batch + b;
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
            FloatVector a0 = FloatVector.fromArray(SPECIES, out, offset + b);
            for (int k = start; k < end; k++) {
                a0 = FloatVector.fromArray(SPECIES, in, (base + low[k]) * batch + b)
                        .fma(FloatVector.broadcast(SPECIES, values[k]), a0);
            }
            a0.intoArray(out, offset + b);
        }
        scalar.gatherLanes(start, end, low, base, values, in, batch, b, out, offset);
    }

    /**
     * The output gradient of the row stays in registers, a block of four vectors at a time; per
     * entry, the block of {@code out} is loaded, updated and stored.
     */
    @Override
    public void scatterSegment(
            int start,
            int end,
            char[] low,
            int base,
            float[] values,
            float[] dy,
            int dyOffset,
            int batch,
            float[] out) {
        int b = 0;
        for (; b + 4 * LANES <= batch; b += 4 * LANES) {
            int d = dyOffset + b;
            FloatVector d0 = FloatVector.fromArray(SPECIES, dy, d);
            FloatVector d1 = FloatVector.fromArray(SPECIES, dy, d + LANES);
            FloatVector d2 = FloatVector.fromArray(SPECIES, dy, d + 2 * LANES);
            FloatVector d3 = FloatVector.fromArray(SPECIES, dy, d + 3 * LANES);
            for (int k = start; k < end; k++) {
                int t = (base + low[k]) * batch + b;
                FloatVector w = FloatVector.broadcast(SPECIES, values[k]);
                d0.fma(w, FloatVector.fromArray(SPECIES, out, t)).intoArray(out, t);
                d1.fma(w, FloatVector.fromArray(SPECIES, out, t + LANES)).intoArray(out, t + LANES);
                d2.fma(w, FloatVector.fromArray(SPECIES, out, t + 2 * LANES)).intoArray(out, t + 2 * LANES);
                d3.fma(w, FloatVector.fromArray(SPECIES, out, t + 3 * LANES)).intoArray(out, t + 3 * LANES);
            }
        }
        for (; b + LANES <= batch; b += LANES) {
            FloatVector d0 = FloatVector.fromArray(SPECIES, dy, dyOffset + b);
            for (int k = start; k < end; k++) {
                int t = (base + low[k]) * batch + b;
                d0.fma(FloatVector.broadcast(SPECIES, values[k]), FloatVector.fromArray(SPECIES, out, t))
                        .intoArray(out, t);
            }
        }
        scalar.scatterLanes(start, end, low, base, values, dy, dyOffset, batch, b, out);
    }

    /**
     * The output gradient of the row stays in registers, a block of four vectors at a time; per
     * entry, the block of {@code x} is multiplied into it lane by lane, and the lanes of those
     * products are summed for a group of {@code LANES} entries at once ({@link #sumGroup}), not
     * entry by entry.
     */
    @Override
    public void dotSegment(
            int start,
            int end,
            char[] low,
            int base,
            float[] dy,
            int dyOffset,
            float[] x,
            int batch,
            float[] dValues,
            boolean accumulate) {
        float[] products = groupProducts.get();
        int b = 0;
        for (; b + 4 * LANES <= batch; b += 4 * LANES) {
            int d = dyOffset + b;
            FloatVector d0 = FloatVector.fromArray(SPECIES, dy, d);
            FloatVector d1 = FloatVector.fromArray(SPECIES, dy, d + LANES);
            FloatVector d2 = FloatVector.fromArray(SPECIES, dy, d + 2 * LANES);
            FloatVector d3 = FloatVector.fromArray(SPECIES, dy, d + 3 * LANES);
            for (int group = start; group < end; group += LANES) {
                int groupEnd = Math.min(group + LANES, end);
                for (int k = group; k < groupEnd; k++) {
                    int t = (base + low[k]) * batch + b;
                    FloatVector s01 = d0.mul(FloatVector.fromArray(SPECIES, x, t))
                            .add(d1.mul(FloatVector.fromArray(SPECIES, x, t + LANES)));
                    FloatVector s23 = d2.mul(FloatVector.fromArray(SPECIES, x, t + 2 * LANES))
                            .add(d3.mul(FloatVector.fromArray(SPECIES, x, t + 3 * LANES)));
                    s01.add(s23).intoArray(products, ROW_OF_ENTRY[k - group] * LANES);
                }
                sumGroup(products, groupEnd - group, dValues, group, accumulate || b > 0);
            }
        }
        for (; b + LANES <= batch; b += LANES) {
            FloatVector d0 = FloatVector.fromArray(SPECIES, dy, dyOffset + b);
            for (int group = start; group < end; group += LANES) {
                int groupEnd = Math.min(group + LANES, end);
                for (int k = group; k < groupEnd; k++) {
                    int t = (base + low[k]) * batch + b;
                    d0.mul(FloatVector.fromArray(SPECIES, x, t)).intoArray(products, ROW_OF_ENTRY[k - group] * LANES);
                }
                sumGroup(products, groupEnd - group, dValues, group, accumulate || b > 0);
            }
        }
        if (b < batch) {
            scalar.dotLanes(start, end, low, base, dy, dyOffset, x, batch, b, dValues, accumulate || b > 0);
        }
    }

    /**
     * {@code dValues[first + j] (+)= sum of the lanes of row ROW_OF_ENTRY[j] of products}, for
     * the {@code count} entries of a group. A full group is summed as a transpose-and-add
     * butterfly: each of the {@code log2(LANES)} levels adds, for every pair of rows, the lanes
     * {@code h} apart and packs the halves of the two rows into one (two blends, one add), so
     * that {@code LANES} horizontal sums cost {@code LANES - 1} vector adds; the rows are filled
     * in bit-reversed order so that lane {@code j} of the result is entry {@code j}. Shorter
     * groups sum each row on its own.
     */
    private static void sumGroup(float[] products, int count, float[] dValues, int first, boolean add) {
        if (count < LANES) {
            for (int j = 0; j < count; j++) {
                float g = FloatVector.fromArray(SPECIES, products, ROW_OF_ENTRY[j] * LANES)
                        .reduceLanes(VectorOperators.ADD);
                dValues[first + j] = add ? dValues[first + j] + g : g;
            }
            return;
        }
        int rows = LANES;
        for (int level = 0, h = LANES / 2; h >= 1; level++, h /= 2, rows /= 2) {
            VectorMask<Float> upper = VectorMask.fromArray(SPECIES, UPPER_HALVES, level * LANES);
            for (int j = 0; j < rows / 2; j++) {
                int a = 2 * j * LANES;
                FloatVector own = FloatVector.fromArray(SPECIES, products, a)
                        .blend(FloatVector.fromArray(SPECIES, products, a + LANES), upper);
                FloatVector partner = FloatVector.fromArray(SPECIES, products, a + h)
                        .blend(FloatVector.fromArray(SPECIES, products, a + LANES - h), upper);
                own.add(partner).intoArray(products, j * LANES);
            }
        }
        FloatVector sums = FloatVector.fromArray(SPECIES, products, 0);
        if (add) {
            sums = sums.add(FloatVector.fromArray(SPECIES, dValues, first));
        }
        sums.intoArray(dValues, first);
    }

    /** The row of a group's scratch that entry {@code j} writes: {@code j} with its bits reversed. */
    private static final int[] ROW_OF_ENTRY = bitReversal(LANES);

    /**
     * For butterfly level {@code l} (half width {@code h = LANES >> (l + 1)}), lane {@code i} is
     * set when {@code (i / h)} is odd: those lanes take the second row of a pair.
     */
    private static final boolean[] UPPER_HALVES = upperHalves(LANES);

    /** Per thread, the {@code LANES x LANES} products of a group of entries. */
    private final ThreadLocal<float[]> groupProducts = ThreadLocal.withInitial(() -> new float[LANES * LANES]);

    private static int[] bitReversal(int n) {
        int bits = Integer.numberOfTrailingZeros(n);
        int[] reversed = new int[n];
        for (int i = 0; i < n; i++) {
            reversed[i] = bits == 0 ? 0 : Integer.reverse(i) >>> (Integer.SIZE - bits);
        }
        return reversed;
    }

    private static boolean[] upperHalves(int lanes) {
        int levels = Integer.numberOfTrailingZeros(lanes);
        boolean[] upper = new boolean[Math.max(1, levels) * lanes];
        for (int level = 0, h = lanes / 2; h >= 1; level++, h /= 2) {
            for (int i = 0; i < lanes; i++) {
                upper[level * lanes + i] = (i / h) % 2 == 1;
            }
        }
        return upper;
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
     * Batch of one: the scalar loop of {@link ScalarRowKernels}. Gathering {@code x} for the weight
     * gradient a vector at a time, with scalar updates of {@code dx} through the widened indices,
     * made the training step of a 20,000 x 20,000 layer at 99 % a third slower on the AMD Zen 4
     * this was measured on (`bench` case A: 8.0 against 5.9 ms).
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
            boolean accumulateDValues) {
        scalar.scatterRow(start, end, low, base, values, d, dx, x, dValues, accumulateDValues);
    }

    /** {@code scratch[at : at + LANES] = low[k : k + LANES]}, as unsigned ints; shared with {@link VectorBf16RowKernels}. */
    static void widen(char[] low, int k, int[] scratch, int at) {
        ShortVector.fromCharArray(SHORTS, low, k)
                .convertShape(VectorOperators.S2I, INTS, 0)
                .reinterpretAsInts()
                .and(0xFFFF)
                .intoArray(scratch, at);
    }

    /**
     * A vector of rows at a time: one gather of a column's {@code LANES} strided elements and one contiguous
     * store, 1.7 to 2 times faster than the scalar tiles for the text model's blocks of 16 samples; the last
     * rows take the scalar loop.
     */
    @Override
    public void transpose(
            float[] source,
            int sourceOffset,
            int sourceStride,
            float[] target,
            int targetOffset,
            int targetStride,
            int rows,
            int columns) {
        int vectorRows = rows - rows % LANES;
        if (vectorRows > 0) {
            int[] strides = new int[LANES];
            for (int k = 0; k < LANES; k++) {
                strides[k] = k * sourceStride;
            }
            for (int r0 = 0; r0 < vectorRows; r0 += LANES) {
                int from = sourceOffset + r0 * sourceStride;
                int to = targetOffset + r0;
                for (int c = 0; c < columns; c++) {
                    FloatVector.fromArray(SPECIES, source, from + c, strides, 0)
                            .intoArray(target, to + c * targetStride);
                }
            }
        }
        if (vectorRows < rows) {
            scalar.transpose(
                    source,
                    sourceOffset + vectorRows * sourceStride,
                    sourceStride,
                    target,
                    targetOffset + vectorRows,
                    targetStride,
                    rows - vectorRows,
                    columns);
        }
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

    @Override
    public void reluBackward(float[] y, float[] dy, float[] dx, boolean accumulate, int start, int end) {
        FloatVector zero = FloatVector.zero(SPECIES);
        int i = start;
        for (; i + LANES <= end; i += LANES) {
            VectorMask<Float> active = FloatVector.fromArray(SPECIES, y, i).compare(VectorOperators.GT, 0f);
            FloatVector g = zero.blend(FloatVector.fromArray(SPECIES, dy, i), active);
            if (accumulate) {
                g = FloatVector.fromArray(SPECIES, dx, i).add(g);
            }
            g.intoArray(dx, i);
        }
        scalar.reluBackward(y, dy, dx, accumulate, i, end);
    }

    /**
     * The hash of {@link org.sparselinear.spi.DropoutMask} on two vectors of {@link #LONGS}, the
     * low and the high half of a vector of rows; each 0/1 mark (shifted down from the sign of
     * {@code threshold - 1 - u}) narrowed into its half of a vector of ints, and multiplied by the
     * bits of {@code scale}, is {@code scale} or {@code +0.0f} read as floats: the factor of each
     * element, without a branch or a conversion to float. Only the float and int species of the
     * other kernels are used, so that their call sites in the Vector API stay specialized (a
     * second float species in one process made the dense products several times slower).
     */
    @Override
    public void dropout(
            float[] x,
            float[] y,
            int base,
            int from,
            int to,
            int column,
            int columns,
            long key,
            int threshold,
            float scale,
            boolean accumulate) {
        int r = from;
        if (VECTOR_HASH) {
            int half = LONGS.length();
            LongVector lowRows = LongVector.zero(LONGS).addIndex(1).mul(columns);
            LongVector highRows = lowRows.add((long) half * columns);
            int scaleBits = Float.floatToRawIntBits(scale);
            for (; r + LANES <= to; r += LANES) {
                long first = (long) r * columns + column + 1;
                IntVector low = (IntVector)
                        keptMarks(lowRows.add(first), key, threshold).convertShape(VectorOperators.L2I, INTS, 0);
                IntVector high = (IntVector)
                        keptMarks(highRows.add(first), key, threshold).convertShape(VectorOperators.L2I, INTS, -1);
                FloatVector factor = low.or(high).mul(scaleBits).reinterpretAsFloats();
                FloatVector v = FloatVector.fromArray(SPECIES, x, base + r).mul(factor);
                if (accumulate) {
                    v = FloatVector.fromArray(SPECIES, y, base + r).add(v);
                }
                v.intoArray(y, base + r);
            }
        }
        scalar.dropout(x, y, base, r, to, column, columns, key, threshold, scale, accumulate);
    }

    /** 1 where the element at each counter {@code index + 1} is kept, else 0. */
    private static LongVector keptMarks(LongVector counter, long key, int threshold) {
        LongVector z = counter.mul(DropoutMask.GOLDEN_GAMMA).add(key);
        z = z.lanewise(VectorOperators.XOR, z.lanewise(VectorOperators.LSHR, 30))
                .mul(DropoutMask.MIX_1);
        z = z.lanewise(VectorOperators.XOR, z.lanewise(VectorOperators.LSHR, 27))
                .mul(DropoutMask.MIX_2);
        z = z.lanewise(VectorOperators.XOR, z.lanewise(VectorOperators.LSHR, 31));
        return LongVector.broadcast(LONGS, threshold - 1L)
                .sub(z.lanewise(VectorOperators.LSHR, Long.SIZE - DropoutMask.BITS))
                .lanewise(VectorOperators.LSHR, Long.SIZE - 1);
    }
}
