package org.sparselinear.backend.cpu;

/**
 * The inner loops the sparse kernels are built from, on feature-major data (the batch of one
 * feature contiguous): a gathered sum of rows for the products and a dot product for the weight
 * gradient; the transpose between that layout and a row-major one; the sparse update of Adagrad, whose cost is in skipping zero gradients; the
 * rectifier's backward pass, whose data-dependent choice costs a mispredicted branch per element
 * unless it is a select on a whole vector; and dropout, a hash per element. Two
 * implementations: {@link ScalarRowKernels} (any JVM) and
 * {@link VectorRowKernels} (explicit SIMD through the Vector API when the JVM runs with
 * {@code --add-modules jdk.incubator.vector}).
 */
interface RowKernels {

    /** Length of the scratch buffer the batch-one kernels take: the most lanes of a vector of ints. */
    int SCRATCH_LENGTH = 64;

    /**
     * {@code out[offset : offset + batch] (+)= sum over entries k in [start, end) of
     * values[pos(k)] * in[index[k - indexShift] * batch : + batch]}, where {@code pos} is the
     * identity when {@code positions} is null and {@code positions[k]} otherwise (a shift lets
     * {@code index} be a buffer holding the decoded indices of these entries only).
     */
    void gatherRow(
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
            boolean accumulate);

    /**
     * One segment of a compact CSR row ({@link CompactColumns}) in the forward, for a batch of two
     * or more: {@code out[offset : offset + batch] += sum over entries k in [start, end) of
     * values[k] * in[(base + low[k]) * batch : + batch]}.
     */
    void gatherSegment(
            int start, int end, char[] low, int base, float[] values, float[] in, int batch, float[] out, int offset);

    /**
     * One segment of a compact CSR row ({@link CompactColumns}) in the scatter form of
     * {@code dx = dy W}: for every entry {@code k} in {@code [start, end)} with column
     * {@code c = base + low[k]}, {@code out[c * batch : + batch] += values[k] * dy[dyOffset : + batch]}.
     */
    void scatterSegment(
            int start, int end, char[] low, int base, float[] values, float[] dy, int dyOffset, int batch, float[] out);

    /**
     * One segment of a compact CSR row in the weight gradient (SDDMM): for every entry {@code k}
     * in {@code [start, end)} with column {@code c = base + low[k]},
     * {@code dValues[k] (+)= dot(dy[dyOffset : + batch], x[c * batch : + batch])}.
     */
    void dotSegment(
            int start,
            int end,
            char[] low,
            int base,
            float[] dy,
            int dyOffset,
            float[] x,
            int batch,
            float[] dValues,
            boolean accumulate);

    /**
     * Batch of one, one segment of a compact row ({@link CompactColumns}):
     * {@code sum over k in [start, end) of values[k] * in[base + low[k]]}; {@code scratch} holds
     * {@link #SCRATCH_LENGTH} ints the kernel may overwrite.
     */
    float gatherDot(int start, int end, char[] low, int base, float[] values, float[] in, int[] scratch);

    /**
     * Batch of one, one segment of a compact row whose output gradient is {@code d}: for
     * {@code k} in {@code [start, end)} with {@code c = base + low[k]}, {@code dx[c] += values[k] * d}
     * and, when {@code x} is not null, {@code dValues[k] (+)= d * x[c]}. The columns of a segment
     * are distinct.
     */
    void scatterRow(
            int start,
            int end,
            char[] low,
            int base,
            float[] values,
            float d,
            float[] dx,
            float[] x,
            float[] dValues,
            boolean accumulateDValues);

    /** {@code sum_i a[aOffset + i] * b[bOffset + i]} for {@code i < length}. */
    float dot(float[] a, int aOffset, float[] b, int bOffset, int length);

    /**
     * Copies a {@code (rows, columns)} block transposed:
     * {@code target[targetOffset + c * targetStride + r] = source[sourceOffset + r * sourceStride + c]} for
     * {@code r < rows}, {@code c < columns}; between the row-major and the feature-major layouts of a batch.
     */
    void transpose(
            float[] source,
            int sourceOffset,
            int sourceStride,
            float[] target,
            int targetOffset,
            int targetStride,
            int rows,
            int columns);

    /**
     * Adagrad over {@code [start, end)}: {@code d = g + weightDecay * p}; where {@code d != 0},
     * {@code sum += d * d} and {@code p -= stepSize * (d / (sqrt(sum) + epsilon))}; entries with
     * {@code d == 0} are left as they are (bit for bit, whatever the implementation).
     */
    void adagrad(
            float[] p, float[] g, float[] sum, float weightDecay, float epsilon, float stepSize, int start, int end);

    /**
     * The rectifier's backward pass over {@code [start, end)}: {@code g = y > 0 ? dy : 0}, then
     * {@code dx = g} or, when {@code accumulate}, {@code dx += g} (bit for bit, whatever the
     * implementation). With a 0/1 mask as {@code y} it is dropout's masking too.
     */
    void reluBackward(float[] y, float[] dy, float[] dx, boolean accumulate, int start, int end);

    /**
     * Dropout ({@link org.sparselinear.spi.DropoutMask}) of part of one column of a feature-major
     * matrix: the elements {@code base + r}, {@code r} in {@code [from, to)}, at row-major index
     * {@code r * columns + column}: {@code y (+)= x * (m * scale)}.
     */
    void dropout(
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
            boolean accumulate);
}
