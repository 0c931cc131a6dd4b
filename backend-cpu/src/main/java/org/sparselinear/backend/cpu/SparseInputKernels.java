package org.sparselinear.backend.cpu;

import java.util.Arrays;
import java.util.function.IntConsumer;

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
 * positions of the batch. A dense weight is used sample by sample: each thread builds the
 * outputs of {@link #SAMPLE_BLOCK} samples at a time in a private row-major buffer (one sample's
 * {@code out} values contiguous, so W's columns are added with contiguous vector operations)
 * and writes them, transposed, into the feature-major output; the input gradient reads
 * {@code dy} the same way. A sparse weight is read by feature ({@link FeatureConnections}): held
 * input-major ({@code T = W^T}), its rows are the features and its values are read in place; stored
 * in W's row order, the values of a feature lie scattered and are gathered once per batch into a
 * contiguous array, the connections of the batch's features in W's column order
 * ({@link PresentConnections}), and a weight gradient is added back through the same map. The
 * forward product then works sample by sample as for a dense weight, reading each feature's
 * connections in order; the gradients work feature by feature, through both transpose maps, so
 * that each connection meets all the batch's values of its feature at once and {@code dy} is
 * read along contiguous rows of the feature-major layout.
 *
 * <p>The weight gradients and the sparse input gradient are split by input features, balanced
 * by the batch's non-zeros per feature, so that each thread owns the gradients of its features
 * and no two threads write one value; the forward products are split by samples. Every output
 * element is summed in the same order whatever the number of threads. Feature loops
 * visit only the features present in the batch (listed once per batch when its pattern is
 * built, in O(in)). Overwriting a weight gradient writes all of it, {@code out * in} values for
 * a dense weight and {@code nnz} for a sparse one: accumulating into a gradient cleared once
 * costs the same.
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

    /**
     * {@code y = X W^T}: each sample's output row, the sum of W's columns at its features scaled
     * by its values, is built in the thread's buffer and copied into {@code y} transposed.
     */
    void denseForward(CpuSparseMatrix x, float[] xValues, float[] weight, float[] y, int outputs) {
        int batch = x.rows();
        int[] pointers = x.rowPointers;
        pool.forRange(batch, Math.max(1, (long) x.nnz() * outputs / batch) + outputs, (start, end) -> {
            float[] rowsOfBlock = new float[Math.min(SAMPLE_BLOCK, end - start) * outputs];
            int[] features = new int[x.columns.longestRow];
            for (int first = start; first < end; first += SAMPLE_BLOCK) {
                int count = Math.min(SAMPLE_BLOCK, end - first);
                for (int s = 0; s < count; s++) {
                    int b = first + s;
                    x.columns.decode(b, pointers[b], pointers[b + 1], features);
                    rows.gatherRow(
                            pointers[b],
                            pointers[b + 1],
                            features,
                            pointers[b],
                            null,
                            xValues,
                            weight,
                            outputs,
                            rowsOfBlock,
                            s * outputs,
                            false);
                }
                intoFeatureMajor(rowsOfBlock, count, outputs, y, batch, first);
            }
        });
    }

    /** {@code y = X W^T} through a sparse weight in row order: {@link #sparseForward(CpuSparseMatrix, float[], FeatureConnections, int, long, float[])} over its gathered connections. */
    void sparseForward(CpuSparseMatrix x, float[] xValues, CpuSparseMatrix w, float[] wValues, float[] y) {
        PresentConnections present = PresentConnections.of(x, w);
        FeatureConnections connections = FeatureConnections.gathered(w, present, present.gather(wValues, pool));
        sparseForward(x, xValues, connections, w.rows(), work(x, w), y);
    }

    /** {@code y = X T} through a sparse weight held input-major, its values read in place. */
    void transposedForward(CpuSparseMatrix x, float[] xValues, CpuSparseMatrix t, float[] tValues, float[] y) {
        sparseForward(x, xValues, FeatureConnections.inputMajor(t, tValues), t.columns(), work(x, t), y);
    }

    /**
     * {@code y = X W^T}, sample by sample as {@link #denseForward}: each entry {@code (b, i, x)} of a sample adds
     * {@code x} times the connections of input {@code i} (read in order) to the sample's output row in the
     * thread's private buffer, which is copied into {@code y} transposed. Adding into one sample's row keeps the
     * writes in the first-level cache, where adding feature by feature into the feature-major {@code y} wrote
     * one cache line of a megabyte-sized output per multiply-add. Threads split the samples; every output sums
     * its features in ascending order.
     */
    private void sparseForward(
            CpuSparseMatrix x, float[] xValues, FeatureConnections w, int outputs, long work, float[] y) {
        int batch = x.rows();
        int[] pointers = x.rowPointers;
        pool.forRange(batch, Math.max(1, work / batch) + outputs, (start, end) -> {
            float[] rowsOfBlock = new float[Math.min(SAMPLE_BLOCK, end - start) * outputs];
            int[] features = new int[x.columns.longestRow];
            for (int first = start; first < end; first += SAMPLE_BLOCK) {
                int count = Math.min(SAMPLE_BLOCK, end - first);
                Arrays.fill(rowsOfBlock, 0, count * outputs, 0f);
                for (int s = 0; s < count; s++) {
                    int b = first + s;
                    x.columns.decode(b, pointers[b], pointers[b + 1], features);
                    for (int j = pointers[b]; j < pointers[b + 1]; j++) {
                        int i = features[j - pointers[b]];
                        float value = xValues[j];
                        int shift = w.shiftOfInput(i);
                        for (int p = w.pointers()[i]; p < w.pointers()[i + 1]; p++) {
                            rowsOfBlock[s * outputs + w.outputs()[p]] += value * w.values()[shift + p];
                        }
                    }
                }
                intoFeatureMajor(rowsOfBlock, count, outputs, y, batch, first);
            }
        });
    }

    /** Writes the row-major outputs of samples {@code [first, first + count)} into the feature-major {@code y}. */
    private void intoFeatureMajor(float[] rowsOfBlock, int count, int outputs, float[] y, int batch, int first) {
        rows.transpose(rowsOfBlock, 0, outputs, y, first, batch, count, outputs);
    }

    /** {@code dxValues[j] (+)= dot(dy[b, :], W[:, i])} for the stored {@code (b, i)} at {@code j}. */
    void denseInputGradient(
            CpuSparseMatrix x, float[] dy, float[] weight, float[] dxValues, int outputs, boolean accumulate) {
        int batch = x.rows();
        pool.forRange(batch, Math.max(1, (long) x.nnz() * outputs / batch) + outputs, (start, end) -> {
            float[] dyRows = new float[Math.min(SAMPLE_BLOCK, end - start) * outputs];
            int[] features = new int[x.columns.longestRow];
            for (int first = start; first < end; first += SAMPLE_BLOCK) {
                int count = Math.min(SAMPLE_BLOCK, end - first);
                toRowMajor(dy, batch, outputs, first, count, dyRows, 0);
                for (int s = 0; s < count; s++) {
                    int rowStart = x.rowPointers[first + s];
                    int rowEnd = x.rowPointers[first + s + 1];
                    x.columns.decode(first + s, rowStart, rowEnd, features);
                    for (int j = rowStart; j < rowEnd; j++) {
                        float g = rows.dot(dyRows, s * outputs, weight, features[j - rowStart] * outputs, outputs);
                        dxValues[j] = accumulate ? dxValues[j] + g : g;
                    }
                }
            }
        });
    }

    /** {@code dxValues (+)=} the input gradient through a sparse weight in row order, over its gathered connections. */
    void sparseInputGradient(
            CpuSparseMatrix x, CpuSparseMatrix w, float[] wValues, float[] dy, float[] dxValues, boolean accumulate) {
        PresentConnections present = PresentConnections.of(x, w);
        FeatureConnections connections = FeatureConnections.gathered(w, present, present.gather(wValues, pool));
        sparseInputGradient(x, connections, work(x, w), dy, dxValues, accumulate);
    }

    /** {@code dxValues (+)=} the input gradient through a sparse weight held input-major, its values read in place. */
    void transposedInputGradient(
            CpuSparseMatrix x, CpuSparseMatrix t, float[] tValues, float[] dy, float[] dxValues, boolean accumulate) {
        sparseInputGradient(x, FeatureConnections.inputMajor(t, tValues), work(x, t), dy, dxValues, accumulate);
    }

    /**
     * {@code dxValues[j] (+)= sum over the connections (o, w) of input i of dy[b, o] w} for the stored
     * {@code (b, i)} at {@code j}, feature by feature so that each weight is read once per batch; threads split
     * the features.
     */
    private void sparseInputGradient(
            CpuSparseMatrix x, FeatureConnections w, long work, float[] dy, float[] dxValues, boolean accumulate) {
        ColumnForm xc = x.columnForm();
        int batch = x.rows();
        float[] sums = new float[x.nnz()];
        byPresentFeatures(x, work, (from, to) -> {
            for (int f = from; f < to; f++) {
                int i = xc.nonEmptyColumns[f];
                int qStart = xc.columnPointers[i];
                int qEnd = xc.columnPointers[i + 1];
                int shift = w.shift(f);
                for (int p = w.pointers()[i]; p < w.pointers()[i + 1]; p++) {
                    float weight = w.values()[shift + p];
                    int row = w.outputs()[p] * batch;
                    for (int q = qStart; q < qEnd; q++) {
                        sums[q] += dy[row + xc.rowIndices[q]] * weight;
                    }
                }
                for (int q = qStart; q < qEnd; q++) {
                    int j = xc.valuePositions[q];
                    dxValues[j] = accumulate ? dxValues[j] + sums[q] : sums[q];
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
        ColumnForm xc = x.columnForm();
        float[] dyRows = rowMajor(dy, x.rows(), outputs);
        int[] pointers = xc.columnPointers;
        IntConsumer column = i -> rows.gatherRow(
                pointers[i],
                pointers[i + 1],
                xc.rowIndices,
                0,
                xc.valuePositions,
                xValues,
                dyRows,
                outputs,
                dWeight,
                i * outputs,
                accumulate);
        if (accumulate) {
            byPresentFeatures(x, (long) x.nnz() * outputs, (from, to) -> {
                for (int f = from; f < to; f++) {
                    column.accept(xc.nonEmptyColumns[f]);
                }
            });
        } else {
            pool.forRange(x.columns(), outputs + (long) x.nnz() * outputs / x.columns(), (from, to) -> {
                for (int i = from; i < to; i++) {
                    column.accept(i);
                }
            });
        }
    }

    /**
     * {@code dWValues[k] (+)= sum over the stored (b, i, x) of X of x * dy[b, o]} for W's connection {@code (o, i)}
     * at {@code k}: the sums of the connections of the batch's features are built in a contiguous array in W's
     * column order ({@link #addWeightGradient}) and then added to the gradient in one loop of independent writes
     * ({@link PresentConnections#scatterAdd}). Overwriting first clears the output in one contiguous pass (the
     * connections of one input lie scattered across it).
     */
    void sparseWeightGradient(
            CpuSparseMatrix x,
            float[] xValues,
            CpuSparseMatrix w,
            float[] dy,
            float[] dWeightValues,
            boolean accumulate) {
        if (!accumulate) {
            clear(dWeightValues);
        }
        PresentConnections present = PresentConnections.of(x, w);
        float[] sums = new float[present.count()];
        addWeightGradient(x, xValues, FeatureConnections.gathered(w, present, sums), work(x, w), dy);
        present.scatterAdd(sums, dWeightValues, pool);
    }

    /**
     * {@code dTValues[k] (+)= sum over the stored (b, i, x) of X of x * dy[b, o]} for T's connection {@code (i, o)}
     * at {@code k}: the connections of a feature are contiguous, so the sums go straight into the gradient.
     */
    void transposedWeightGradient(
            CpuSparseMatrix x, float[] xValues, CpuSparseMatrix t, float[] dy, float[] dTValues, boolean accumulate) {
        if (!accumulate) {
            clear(dTValues);
        }
        addWeightGradient(x, xValues, FeatureConnections.inputMajor(t, dTValues), work(x, t), dy);
    }

    /** Zeroes {@code values} in parallel parts. */
    private void clear(float[] values) {
        pool.forRange(values.length, 1, (from, to) -> Arrays.fill(values, from, to, 0f));
    }

    /**
     * {@code sums[p + shift] += sum over the stored (b, i, x) of X of x * dy[b, o]} for every connection
     * {@code p} {@code (o, i)} of a feature present in the batch ({@code w}'s values are the sums): for each
     * input present, each connection meets the samples holding it (a run of row {@code o} of the feature-major
     * {@code dy}). Threads split the features, so no two write one sum.
     */
    private void addWeightGradient(CpuSparseMatrix x, float[] xValues, FeatureConnections w, long work, float[] dy) {
        ColumnForm xc = x.columnForm();
        int batch = x.rows();
        float[] xByFeature = byFeature(x, xValues);
        float[] sums = w.values();
        byPresentFeatures(x, work, (from, to) -> {
            for (int f = from; f < to; f++) {
                int i = xc.nonEmptyColumns[f];
                int qStart = xc.columnPointers[i];
                int qEnd = xc.columnPointers[i + 1];
                int shift = w.shift(f);
                int pStart = w.pointers()[i];
                int pEnd = w.pointers()[i + 1];
                for (int q = qStart; q < qEnd; q++) {
                    float value = xByFeature[q];
                    int sample = xc.rowIndices[q];
                    for (int p = pStart; p < pEnd; p++) {
                        sums[shift + p] += value * dy[w.outputs()[p] * batch + sample];
                    }
                }
            }
        });
    }

    /** X's values in the order of its transpose map (grouped by feature): one sequential read per entry later. */
    private static float[] byFeature(CpuSparseMatrix x, float[] xValues) {
        ColumnForm xc = x.columnForm();
        float[] grouped = new float[x.nnz()];
        for (int q = 0; q < grouped.length; q++) {
            grouped[q] = xValues[xc.valuePositions[q]];
        }
        return grouped;
    }

    /**
     * Multiply-adds of a sparse-by-sparse product, about: each entry of X meets the mean connections of an input
     * ({@code weight} in either form: it has as many connections per input).
     */
    private static long work(CpuSparseMatrix x, CpuSparseMatrix weight) {
        return (long) x.nnz() * (1 + weight.nnz() / x.columns());
    }

    /**
     * Runs {@code body(from, to)} over positions of the batch's present features
     * ({@link CpuSparseMatrix#nonEmptyColumns}): on the calling thread when {@code work} is too
     * small to share, else in parts holding about equal numbers of the batch's entries.
     */
    private void byPresentFeatures(CpuSparseMatrix x, long work, WorkerPool.RangeBody body) {
        ColumnForm xc = x.columnForm();
        int parts = pool.partsFor(work, xc.nonEmptyColumns.length);
        pool.run(parts, p -> body.run(firstFeatureOf(x, p, parts), firstFeatureOf(x, p + 1, parts)));
    }

    /** The first position of the present features whose entries start in part {@code part} of {@code parts}. */
    private static int firstFeatureOf(CpuSparseMatrix x, int part, int parts) {
        ColumnForm xc = x.columnForm();
        int[] present = xc.nonEmptyColumns;
        long target = (long) x.nnz() * part / parts;
        int low = 0;
        int high = present.length;
        while (low < high) {
            int mid = (low + high) >>> 1;
            if (xc.columnPointers[present[mid]] < target) {
                low = mid + 1;
            } else {
                high = mid;
            }
        }
        return low;
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
    private void toRowMajor(
            float[] featureMajor, int batch, int columns, int first, int count, float[] rowMajor, int offset) {
        rows.transpose(featureMajor, first, batch, rowMajor, offset, columns, columns, count);
    }
}
