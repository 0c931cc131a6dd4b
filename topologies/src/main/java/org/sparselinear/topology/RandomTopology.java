package org.sparselinear.topology;

import java.util.Locale;
import org.sparselinear.api.Connectivity;
import org.sparselinear.api.Topology;

/**
 * Uniformly random connections: exactly {@link #connectionCount nnz = round((1 - sparsity) * in * out)}
 * distinct positions of the {@code (out, in)} matrix, every subset of that size equally likely.
 * The same arguments and seed give the same {@link Connectivity}; time and memory are O(nnz),
 * never O(in x out) (see {@link UniformSubsetSampler} for the algorithm).
 */
public final class RandomTopology implements Topology {

    /** The name this topology is registered under. */
    public static final String NAME = "random";

    @Override
    public String name() {
        return NAME;
    }

    /**
     * {@inheritDoc} Exactly {@code Math.round((1 - sparsity) * in * out)}, as every layer made
     * with this topology has.
     */
    @Override
    public long connectionCount(int in, int out, double sparsity) {
        return Topology.super.connectionCount(in, out, sparsity);
    }

    /**
     * {@inheritDoc}
     *
     * @throws IllegalArgumentException when {@code in} or {@code out} is not positive, the
     *         sparsity is outside {@code [0, 1)}, or the layer would have more than
     *         {@link Connectivity#MAX_NNZ} connections
     */
    @Override
    public Connectivity connect(int in, int out, double sparsity, long seed) {
        long nnz = indexableCount(this, in, out, sparsity);
        if (nnz == (long) in * out) {
            return dense(in, out);
        }
        return UniformSubsetSampler.sample(out, in, (int) nnz, seed);
    }

    /**
     * {@code topology.connectionCount(in, out, sparsity)}, checked to fit int32 indexing.
     *
     * @throws IllegalArgumentException when the layer would have more than
     *         {@link Connectivity#MAX_NNZ} connections
     */
    static long indexableCount(Topology topology, int in, int out, double sparsity) {
        long nnz = topology.connectionCount(in, out, sparsity);
        if (nnz > Connectivity.MAX_NNZ) {
            throw new IllegalArgumentException(String.format(
                    Locale.ROOT,
                    "a layer of %d connections exceeds int32 indexing (max %d); raise the sparsity or split the layer "
                            + "(in = %d, out = %d, sparsity = %s)",
                    nnz,
                    Connectivity.MAX_NNZ,
                    in,
                    out,
                    sparsity));
        }
        return nnz;
    }

    static Connectivity dense(int in, int out) {
        int[] rowPointers = new int[out + 1];
        int[] columnIndices = new int[in * out];
        for (int r = 0; r < out; r++) {
            rowPointers[r + 1] = (r + 1) * in;
            for (int c = 0; c < in; c++) {
                columnIndices[r * in + c] = c;
            }
        }
        return Connectivity.ofTrustedCsr(out, in, rowPointers, columnIndices);
    }

    @Override
    public String toString() {
        return "RandomTopology";
    }
}
