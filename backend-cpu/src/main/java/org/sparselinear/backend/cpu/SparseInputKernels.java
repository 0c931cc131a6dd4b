package org.sparselinear.backend.cpu;

import java.util.Arrays;

/**
 * The products of a sparse input batch {@code X} ({@code B} samples, CSR with its transpose map,
 * values in CSR order) with a weight of {@code out} outputs: dense and feature-major (column
 * {@code i} of {@code W}, the {@code out} weights of input {@code i}, contiguous at
 * {@code i * out}), or sparse (a {@link CpuSparseMatrix} whose transpose map lists, for input
 * {@code i}, its connections {@code (o, value position)}). Outputs and {@code dy} are
 * feature-major: {@code (b, o)} at {@code o * B + b}.
 *
 * <p>Every loop runs over stored entries of {@code X} (times the outputs of a dense weight, or
 * times the connections of their feature for a sparse one); nothing runs over the {@code B * in}
 * positions of the batch. The forward products and input gradients are split by samples: each
 * thread builds the outputs of {@link #SAMPLE_BLOCK} samples at a time in a private row-major
 * buffer (one sample's {@code out} values contiguous, so the dense weight's columns are added
 * with contiguous vector operations) and then writes them, transposed, into the feature-major
 * output. The weight gradients are split by input features, so that each thread owns the
 * gradients of its features' weights and no two threads write one value. The dense weight
 * gradient overwriting its output writes all {@code out * in} values (its output's size); when
 * accumulating it skips the features absent from the batch, at the cost of one pass over the
 * batch's {@code in + 1} column pointers.
 */
final class SparseInputKernels {

    /** Samples whose outputs one thread assembles at a time in its private buffer. */
    static final int SAMPLE_BLOCK = 16;

    private final WorkerPool pool;
    private final RowKernels rows;

    SparseInputKernels(WorkerPool pool, RowKernels rows) {
        this.pool = pool;
        this.rows = rows;
    }

    /** {@code y = X W^T}: each sample's output row is the sum of W's columns at its features, scaled. */
    void denseForward(CpuSparseMatrix x, float[] xValues, float[] weight, float[] y, int outputs) {
        int[] pointers = x.rowPointers;
        int[] features = x.columnIndices;
        forwardBySampleBlocks(
                x.rows(),
                outputs,
                (long) x.nnz() * outputs,
                y,
                (b, row, offset) -> rows.gatherRow(
                        pointers[b], pointers[b + 1], features, null, xValues, weight, outputs, row, offset, false));
    }

    /** {@code y = X W^T}: each stored {@code (b, i, x)} adds {@code x} times W's connections of input {@code i}. */
    void sparseForward(CpuSparseMatrix x, float[] xValues, CpuSparseMatrix w, float[] wValues, float[] y) {
        int outputs = w.rows();
        forwardBySampleBlocks(x.rows(), outputs, work(x, w), y, (b, row, offset) -> {
            Arrays.fill(row, offset, offset + outputs, 0f);
            for (int j = x.rowPointers[b]; j < x.rowPointers[b + 1]; j++) {
                float value = xValues[j];
                int input = x.columnIndices[j];
                for (int p = w.columnPointers[input]; p < w.columnPointers[input + 1]; p++) {
                    row[offset + w.rowIndices[p]] += value * wValues[w.valuePositions[p]];
                }
            }
        });
    }

    /** {@code dxValues[j] (+)= dot(dy[b, :], W[:, i])} for the stored {@code (b, i)} at {@code j}. */
    void denseInputGradient(
            CpuSparseMatrix x, float[] dy, float[] weight, float[] dxValues, int outputs, boolean accumulate) {
        int batch = x.rows();
        pool.forRange(batch, Math.max(1, (long) x.nnz() * outputs / batch) + outputs, (start, end) -> {
            float[] dyRows = new float[Math.min(SAMPLE_BLOCK, end - start) * outputs];
            for (int first = start; first < end; first += SAMPLE_BLOCK) {
                int count = Math.min(SAMPLE_BLOCK, end - first);
                toRowMajor(dy, batch, outputs, first, count, dyRows, 0);
                for (int s = 0; s < count; s++) {
                    for (int j = x.rowPointers[first + s]; j < x.rowPointers[first + s + 1]; j++) {
                        float g = rows.dot(dyRows, s * outputs, weight, x.columnIndices[j] * outputs, outputs);
                        dxValues[j] = accumulate ? dxValues[j] + g : g;
                    }
                }
            }
        });
    }

    /** {@code dxValues[j] (+)= sum over W's connections (o, i) of dy[b, o] w} for the stored {@code (b, i)} at {@code j}. */
    void sparseInputGradient(
            CpuSparseMatrix x, CpuSparseMatrix w, float[] wValues, float[] dy, float[] dxValues, boolean accumulate) {
        int batch = x.rows();
        pool.forRange(batch, Math.max(1, work(x, w) / batch), (start, end) -> {
            for (int b = start; b < end; b++) {
                for (int j = x.rowPointers[b]; j < x.rowPointers[b + 1]; j++) {
                    int input = x.columnIndices[j];
                    float g = 0;
                    for (int p = w.columnPointers[input]; p < w.columnPointers[input + 1]; p++) {
                        g += dy[w.rowIndices[p] * batch + b] * wValues[w.valuePositions[p]];
                    }
                    dxValues[j] = accumulate ? dxValues[j] + g : g;
                }
            }
        });
    }

    /**
     * {@code dW[:, i] (+)= sum over the stored (b, i, x) of X of x * dy[b, :]}: column {@code i} of
     * the feature-major gradient is a gathered sum of rows of {@code dy}, laid out row-major first.
     */
    void denseWeightGradient(
            CpuSparseMatrix x, float[] xValues, float[] dy, float[] dWeight, int outputs, boolean accumulate) {
        float[] dyRows = rowMajor(dy, x.rows(), outputs);
        int[] pointers = x.columnPointers;
        WorkerPool.RangeBody columns = (from, to) -> {
            for (int i = from; i < to; i++) {
                if (!accumulate || pointers[i] < pointers[i + 1]) {
                    rows.gatherRow(
                            pointers[i],
                            pointers[i + 1],
                            x.rowIndices,
                            x.valuePositions,
                            xValues,
                            dyRows,
                            outputs,
                            dWeight,
                            i * outputs,
                            accumulate);
                }
            }
        };
        if (accumulate) {
            byOwnedColumns(x.columnPartition, x.columns(), (long) x.nnz() * outputs, columns);
        } else {
            pool.forRange(x.columns(), outputs + (long) x.nnz() * outputs / x.columns(), columns);
        }
    }

    /**
     * {@code dWValues[k] (+)= sum over the stored (b, i, x) of X of x * dy[b, o]} for W's
     * connection {@code (o, i)} at {@code k}: for each input {@code i}, the sums of all its
     * connections are built in a private buffer, then written once.
     */
    void sparseWeightGradient(
            CpuSparseMatrix x,
            float[] xValues,
            CpuSparseMatrix w,
            float[] dy,
            float[] dWeightValues,
            boolean accumulate) {
        int batch = x.rows();
        byOwnedColumns(w.columnPartition, w.columns(), work(x, w) + w.nnz(), (from, to) -> {
            float[] sums = new float[longestColumn(w.columnPointers, from, to)];
            for (int i = from; i < to; i++) {
                int start = w.columnPointers[i];
                int length = w.columnPointers[i + 1] - start;
                Arrays.fill(sums, 0, length, 0f);
                for (int q = x.columnPointers[i]; q < x.columnPointers[i + 1]; q++) {
                    float value = xValues[x.valuePositions[q]];
                    int b = x.rowIndices[q];
                    for (int p = 0; p < length; p++) {
                        sums[p] += value * dy[w.rowIndices[start + p] * batch + b];
                    }
                }
                for (int p = 0; p < length; p++) {
                    int k = w.valuePositions[start + p];
                    dWeightValues[k] = accumulate ? dWeightValues[k] + sums[p] : sums[p];
                }
            }
        });
    }

    /** Multiply-adds of a sparse-by-sparse product, about: each entry of X meets the mean connections of an input. */
    private static long work(CpuSparseMatrix x, CpuSparseMatrix w) {
        return (long) x.nnz() * (1 + w.nnz() / w.columns());
    }

    private static int longestColumn(int[] pointers, int from, int to) {
        int longest = 0;
        for (int i = from; i < to; i++) {
            longest = Math.max(longest, pointers[i + 1] - pointers[i]);
        }
        return longest;
    }

    /**
     * Runs {@code body} over all {@code columns}: on the calling thread when {@code work} is too
     * small to share, else once per part of {@code partition} over the columns that part owns
     * (each whole, so every column is written by one thread).
     */
    private void byOwnedColumns(NnzPartition partition, int columns, long work, WorkerPool.RangeBody body) {
        int parts = partition.parts();
        if (pool.partsFor(work, parts) < parts) {
            body.run(0, columns);
        } else {
            pool.run(parts, p -> body.run(partition.firstRow(p), partition.endRow(p)));
        }
    }

    /**
     * Fills the feature-major {@code y (B, outputs)}: each thread writes the rows of its samples
     * into its private buffer, {@link #SAMPLE_BLOCK} at a time, and copies each block into
     * {@code y} transposed.
     */
    private void forwardBySampleBlocks(int batch, int outputs, long work, float[] y, SampleRow sampleRow) {
        pool.forRange(batch, Math.max(1, work / batch) + outputs, (start, end) -> {
            float[] buffer = new float[Math.min(SAMPLE_BLOCK, end - start) * outputs];
            for (int first = start; first < end; first += SAMPLE_BLOCK) {
                int count = Math.min(SAMPLE_BLOCK, end - first);
                for (int s = 0; s < count; s++) {
                    sampleRow.write(first + s, buffer, s * outputs);
                }
                for (int o = 0; o < outputs; o++) {
                    int target = o * batch + first;
                    for (int s = 0; s < count; s++) {
                        y[target + s] = buffer[s * outputs + o];
                    }
                }
            }
        });
    }

    /** {@code matrix (batch, columns)} from feature-major to row-major ({@code (b, c)} at {@code b * columns + c}). */
    private float[] rowMajor(float[] featureMajor, int batch, int columns) {
        float[] rowMajor = new float[batch * columns];
        pool.forRange(batch, columns, (start, end) -> {
            for (int first = start; first < end; first += SAMPLE_BLOCK) {
                int count = Math.min(SAMPLE_BLOCK, end - first);
                toRowMajor(featureMajor, batch, columns, first, count, rowMajor, first * columns);
            }
        });
        return rowMajor;
    }

    /** Samples {@code [first, first + count)} of a feature-major matrix, row-major into {@code rowMajor} at {@code offset}. */
    private static void toRowMajor(
            float[] featureMajor, int batch, int columns, int first, int count, float[] rowMajor, int offset) {
        for (int c = 0; c < columns; c++) {
            int source = c * batch + first;
            for (int s = 0; s < count; s++) {
                rowMajor[offset + s * columns + c] = featureMajor[source + s];
            }
        }
    }

    /** Writes the complete output row of one sample. */
    @FunctionalInterface
    private interface SampleRow {
        void write(int sample, float[] row, int offset);
    }
}
