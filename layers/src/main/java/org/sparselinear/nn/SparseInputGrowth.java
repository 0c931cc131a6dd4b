package org.sparselinear.nn;

import org.sparselinear.api.Backend;
import org.sparselinear.api.Connectivity;
import org.sparselinear.api.DenseMatrix;
import org.sparselinear.api.SparseMatrix;
import org.sparselinear.api.SparseTensor;
import org.sparselinear.spi.RunningTopK;
import org.sparselinear.spi.TransposeMap;

/**
 * RigL's grow step (Evci et al. 2020) for a layer fed a sparse batch: the same selection as
 * {@link Backend#topKAbsDenseGradient}, the {@code k} unconnected positions {@code (o, i)} with
 * the largest {@code |sum_b dy[b, o] * x[b, i]|}, computed from the batch's stored entries
 * without densifying it.
 *
 * <p>Only the features present in the batch have a non-zero gradient, so the work is
 * {@code out} times the stored entries; every other unconnected position has a gradient of
 * exactly zero and is offered, in row-major order, only while the selection still has room for
 * zeros. It runs on the host, once per rewiring step: it downloads {@code dy} {@code (B, out)}
 * and the batch's values, which are small next to the layer.
 */
final class SparseInputGrowth {

    private SparseInputGrowth() {}

    /** The grow candidates as a {@code (2, m)} array (rows, then columns), best first; see the class comment. */
    static int[][] topKAbsGradient(Backend backend, DenseMatrix dy, SparseTensor x, SparseMatrix exclude, int k) {
        Connectivity connected = exclude.connectivity();
        int out = connected.rows();
        int in = connected.columns();
        float[] gradients = backend.download(dy);
        float[] values = backend.download(x.values());
        TransposeMap inputColumns = x.pattern().connectivity().transposeMap();
        TransposeMap weightColumns = connected.transposeMap();
        int[] columnPointers = inputColumns.columnPointers();
        long unconnected = (long) out * in - connected.nnz();
        RunningTopK best = new RunningTopK((int) Math.min(k, unconnected));
        for (int i = 0; i < in; i++) {
            int start = columnPointers[i];
            int end = columnPointers[i + 1];
            if (start == end) {
                continue;
            }
            // The outputs connected to input i, ascending: skipped while walking o.
            int nextConnected = weightColumns.columnPointers()[i];
            int lastConnected = weightColumns.columnPointers()[i + 1];
            for (int o = 0; o < out; o++) {
                if (nextConnected < lastConnected && weightColumns.rowIndices()[nextConnected] == o) {
                    nextConnected++;
                    continue;
                }
                float sum = 0f;
                for (int e = start; e < end; e++) {
                    sum += gradients[inputColumns.rowIndices()[e] * out + o]
                            * values[inputColumns.valuePositions()[e]];
                }
                best.offer(Math.abs(sum), (long) o * in + i);
            }
        }
        offerZeros(best, connected, columnPointers);
        long[] positions = best.drainBestFirst();
        int[] rows = new int[positions.length];
        int[] cols = new int[positions.length];
        for (int j = 0; j < positions.length; j++) {
            rows[j] = (int) (positions[j] / in);
            cols[j] = (int) (positions[j] % in);
        }
        return new int[][] {rows, cols};
    }

    /**
     * Offers the unconnected positions of the features absent from the batch (gradient zero) in
     * row-major order, up to the first one the selection would not keep: every later one has the
     * same magnitude and a larger position, so it would not be kept either.
     */
    private static void offerZeros(RunningTopK best, Connectivity connected, int[] columnPointers) {
        int in = connected.columns();
        int zeroRank = RunningTopK.rank(0f);
        for (int o = 0; o < connected.rows(); o++) {
            int next = connected.rowStart(o);
            int end = connected.rowStart(o + 1);
            for (int i = 0; i < in; i++) {
                if (next < end && connected.column(next) == i) {
                    next++;
                    continue;
                }
                if (columnPointers[i] != columnPointers[i + 1]) {
                    continue;
                }
                long position = (long) o * in + i;
                if (!best.wouldKeep(zeroRank, position)) {
                    return;
                }
                best.offerRanked(zeroRank, position);
            }
        }
    }
}
