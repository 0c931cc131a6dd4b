package org.sparselinear.benchmarks;

import org.sparselinear.api.Connectivity;

/**
 * The bytes the sparse-input products of {@link SparseInputBenchmark} must at least move between
 * memory and the processor, the numerator of their memory-bound limit (divided by the memory
 * bandwidth measured in the same run, {@link MemoryBandwidthBenchmark}):
 *
 * <ul>
 *   <li>forward {@code Y = X W^T}: the batch's entries (value and column index, 8 B each, and
 *       its row pointers), the weight columns of the features present in the batch (value and
 *       row index, 8 B per connection, for a sparse weight; 4 B per weight of a dense one), and
 *       the output written ({@code 4 B x batch x out});
 *   <li>training step, forward and weight gradient accumulated: the same reads once, the output
 *       written and {@code dy} read ({@code 4 B x batch x out} each), and the gradient of the
 *       present features' weights read and written (8 B per weight).
 * </ul>
 *
 * Nothing outside the present features' columns is counted: an operation that touches the rest
 * of the layer moves more than this.
 *
 * @param forward bytes of the forward product
 * @param trainingStep bytes of forward and weight gradient together
 */
public record SparseInputTraffic(long forward, long trainingStep) {

    /**
     * The traffic of {@link SparseInputBenchmark}'s {@code layer} ({@code sparse90}, {@code sparse99},
     * {@code sparse90rows} or {@code dense}) on its batch of {@code batch} samples: the same bytes whatever the
     * order of a sparse weight's values.
     */
    public static SparseInputTraffic of(String layer, int batch) {
        Connectivity rows = TextBatch.firstSamples(batch).rows();
        int outputs = SparseInputBenchmark.OUTPUTS;
        boolean[] present = new boolean[rows.columns()];
        for (int k = 0; k < rows.nnz(); k++) {
            present[rows.column(k)] = true;
        }
        long weights = 0;
        if ("dense".equals(layer)) {
            for (boolean p : present) {
                weights += p ? outputs : 0;
            }
        } else {
            Connectivity weight = SparseInputBenchmark.sparseWeight(layer);
            for (int k = 0; k < weight.nnz(); k++) {
                weights += present[weight.column(k)] ? 1 : 0;
            }
        }
        long entries = 8L * rows.nnz() + 4L * (batch + 1);
        long weightBytes = "dense".equals(layer) ? 4 * weights : 8 * weights;
        long output = 4L * batch * outputs;
        return new SparseInputTraffic(entries + weightBytes + output, entries + weightBytes + 8 * weights + 2 * output);
    }
}
