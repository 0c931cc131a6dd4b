package org.sparselinear.backend.cpu;

import java.util.Arrays;
import org.sparselinear.spi.DropoutMask;

/**
 * The inner loops of the sparse kernels in plain Java, for any JVM. C2 (JDK 17) vectorises an
 * axpy only when both arrays are indexed alike, which a gather from a row of {@code x} is not,
 * so these loops run scalar; unrolling by four entries (a quarter of the output traffic) and
 * independent sums (instruction-level parallelism) are what speed them up.
 */
final class ScalarRowKernels implements RowKernels {

    /**
     * {@code out[offset : offset + B] (+)= sum over entries [start, end) of value * in[index, :]},
     * four entries per pass so that the output is loaded and stored once per four axpys.
     */
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
        if (batch == 1) {
            out[offset] =
                    (accumulate ? out[offset] : 0f) + dotGather(start, end, index, indexShift, positions, values, in);
            return;
        }
        if (!accumulate) {
            Arrays.fill(out, offset, offset + batch, 0f);
        }
        int k = start;
        for (; k + 3 < end; k += 4) {
            float w0 = values[positions == null ? k : positions[k]];
            float w1 = values[positions == null ? k + 1 : positions[k + 1]];
            float w2 = values[positions == null ? k + 2 : positions[k + 2]];
            float w3 = values[positions == null ? k + 3 : positions[k + 3]];
            int s0 = index[k - indexShift] * batch;
            int s1 = index[k + 1 - indexShift] * batch;
            int s2 = index[k + 2 - indexShift] * batch;
            int s3 = index[k + 3 - indexShift] * batch;
            for (int b = 0; b < batch; b++) {
                out[offset + b] += (w0 * in[s0 + b] + w1 * in[s1 + b]) + (w2 * in[s2 + b] + w3 * in[s3 + b]);
            }
        }
        for (; k < end; k++) {
            float w = values[positions == null ? k : positions[k]];
            int source = index[k - indexShift] * batch;
            for (int b = 0; b < batch; b++) {
                out[offset + b] += w * in[source + b];
            }
        }
    }

    /** Batch of one: a sparse dot product, with four independent sums for instruction-level parallelism. */
    private static float dotGather(
            int start, int end, int[] index, int indexShift, int[] positions, float[] values, float[] in) {
        float sum = 0;
        for (int k = start; k < end; k++) {
            sum += values[positions == null ? k : positions[k]] * in[index[k - indexShift]];
        }
        return sum;
    }

    /** A sparse dot product over compact indices, with four independent sums for instruction-level parallelism. */
    @Override
    public float gatherDot(int start, int end, char[] low, int base, float[] values, float[] in, int[] scratch) {
        float s0 = 0;
        float s1 = 0;
        float s2 = 0;
        float s3 = 0;
        int k = start;
        for (; k + 3 < end; k += 4) {
            s0 += values[k] * in[base + low[k]];
            s1 += values[k + 1] * in[base + low[k + 1]];
            s2 += values[k + 2] * in[base + low[k + 2]];
            s3 += values[k + 3] * in[base + low[k + 3]];
        }
        for (; k < end; k++) {
            s0 += values[k] * in[base + low[k]];
        }
        return (s0 + s1) + (s2 + s3);
    }

    /** Four entries per pass, so that the output is loaded and stored once per four axpys. */
    @Override
    public void gatherSegment(
            int start, int end, char[] low, int base, float[] values, float[] in, int batch, float[] out, int offset) {
        int k = start;
        for (; k + 3 < end; k += 4) {
            float w0 = values[k];
            float w1 = values[k + 1];
            float w2 = values[k + 2];
            float w3 = values[k + 3];
            int s0 = (base + low[k]) * batch;
            int s1 = (base + low[k + 1]) * batch;
            int s2 = (base + low[k + 2]) * batch;
            int s3 = (base + low[k + 3]) * batch;
            for (int b = 0; b < batch; b++) {
                out[offset + b] += (w0 * in[s0 + b] + w1 * in[s1 + b]) + (w2 * in[s2 + b] + w3 * in[s3 + b]);
            }
        }
        gatherLanes(k, end, low, base, values, in, batch, 0, out, offset);
    }

    /** {@code out[offset + b] += sum over [start, end) of values[k] * in[(base + low[k]) * batch + b]} for {@code b} in {@code [from, batch)}. */
    void gatherLanes(
            int start,
            int end,
            char[] low,
            int base,
            float[] values,
            float[] in,
            int batch,
            int from,
            float[] out,
            int offset) {
        for (int k = start; k < end; k++) {
            float w = values[k];
            int source = (base + low[k]) * batch;
            for (int b = from; b < batch; b++) {
                out[offset + b] += w * in[source + b];
            }
        }
    }

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
        scatterLanes(start, end, low, base, values, dy, dyOffset, batch, 0, out);
    }

    /** {@link #scatterSegment} restricted to the batch lanes {@code [from, batch)}. */
    void scatterLanes(
            int start,
            int end,
            char[] low,
            int base,
            float[] values,
            float[] dy,
            int dyOffset,
            int batch,
            int from,
            float[] out) {
        for (int k = start; k < end; k++) {
            float v = values[k];
            int target = (base + low[k]) * batch;
            for (int b = from; b < batch; b++) {
                out[target + b] += v * dy[dyOffset + b];
            }
        }
    }

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
        dotLanes(start, end, low, base, dy, dyOffset, x, batch, 0, dValues, accumulate);
    }

    /**
     * {@link #dotSegment} restricted to the batch lanes {@code [from, batch)}: each entry's dot
     * product over those lanes only, added to {@code dValues[k]} when {@code add}.
     */
    void dotLanes(
            int start,
            int end,
            char[] low,
            int base,
            float[] dy,
            int dyOffset,
            float[] x,
            int batch,
            int from,
            float[] dValues,
            boolean add) {
        for (int k = start; k < end; k++) {
            int target = (base + low[k]) * batch;
            float g = dot(dy, dyOffset + from, x, target + from, batch - from);
            dValues[k] = add ? dValues[k] + g : g;
        }
    }

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
        if (x == null) {
            for (int k = start; k < end; k++) {
                dx[base + low[k]] += values[k] * d;
            }
            return;
        }
        for (int k = start; k < end; k++) {
            int c = base + low[k];
            dx[c] += values[k] * d;
            float g = d * x[c];
            dValues[k] = accumulateDValues ? dValues[k] + g : g;
        }
    }

    /**
     * In tiles of {@value #TRANSPOSE_TILE} rows, so that the rows read stay in a few cache lines while the
     * writes run along the target's contiguous columns.
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
        for (int r0 = 0; r0 < rows; r0 += TRANSPOSE_TILE) {
            int r1 = Math.min(rows, r0 + TRANSPOSE_TILE);
            for (int c = 0; c < columns; c++) {
                int to = targetOffset + c * targetStride;
                for (int r = r0; r < r1; r++) {
                    target[to + r] = source[sourceOffset + r * sourceStride + c];
                }
            }
        }
    }

    /** Rows of a transpose tile: 16 floats are one cache line. */
    private static final int TRANSPOSE_TILE = 16;

    /** A contiguous dot product with eight independent sums (C2 does not vectorise float reductions). */
    @Override
    public float dot(float[] a, int aOffset, float[] b, int bOffset, int length) {
        float s0 = 0;
        float s1 = 0;
        float s2 = 0;
        float s3 = 0;
        float s4 = 0;
        float s5 = 0;
        float s6 = 0;
        float s7 = 0;
        int i = 0;
        for (; i + 7 < length; i += 8) {
            s0 += a[aOffset + i] * b[bOffset + i];
            s1 += a[aOffset + i + 1] * b[bOffset + i + 1];
            s2 += a[aOffset + i + 2] * b[bOffset + i + 2];
            s3 += a[aOffset + i + 3] * b[bOffset + i + 3];
            s4 += a[aOffset + i + 4] * b[bOffset + i + 4];
            s5 += a[aOffset + i + 5] * b[bOffset + i + 5];
            s6 += a[aOffset + i + 6] * b[bOffset + i + 6];
            s7 += a[aOffset + i + 7] * b[bOffset + i + 7];
        }
        for (; i < length; i++) {
            s0 += a[aOffset + i] * b[bOffset + i];
        }
        return ((s0 + s1) + (s2 + s3)) + ((s4 + s5) + (s6 + s7));
    }

    @Override
    public void adagrad(
            float[] p, float[] g, float[] sum, float weightDecay, float epsilon, float stepSize, int start, int end) {
        for (int i = start; i < end; i++) {
            float d = weightDecay == 0f ? g[i] : g[i] + weightDecay * p[i];
            if (d != 0f) {
                float accumulated = sum[i] + d * d;
                sum[i] = accumulated;
                p[i] -= stepSize * (d / ((float) Math.sqrt(accumulated) + epsilon));
            }
        }
    }

    @Override
    public void reluBackward(float[] y, float[] dy, float[] dx, boolean accumulate, int start, int end) {
        if (accumulate) {
            for (int i = start; i < end; i++) {
                dx[i] += y[i] > 0f ? dy[i] : 0f;
            }
        } else {
            for (int i = start; i < end; i++) {
                dx[i] = y[i] > 0f ? dy[i] : 0f;
            }
        }
    }

    /** The mask made without a branch: half of the elements go at {@code p = 0.5}, which no predictor guesses. */
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
        for (int r = from; r < to; r++) {
            long u = DropoutMask.hash(key, (long) r * columns + column) >>> (Long.SIZE - DropoutMask.BITS);
            float kept = (threshold - 1 - u) >>> (Long.SIZE - 1);
            float v = x[base + r] * (kept * scale);
            y[base + r] = accumulate ? y[base + r] + v : v;
        }
    }
}
