package org.sparselinear.topology;

import java.util.Locale;
import org.sparselinear.api.Connectivity;
import org.sparselinear.api.Topology;
import org.sparselinear.spi.Checks;

/**
 * A bipartite Watts-Strogatz layer (Watts and Strogatz, "Collective dynamics of 'small-world'
 * networks", Nature 393, 1998): a ring lattice whose connections are rewired at random with
 * probability {@code beta}.
 *
 * <p>The inputs form a ring; output {@code o} faces input {@code round(o * in / out)} (modulo
 * {@code in}) and connects to the {@code k} inputs nearest to it on the ring: that input,
 * {@code (k - 1) / 2} below it and {@code k / 2} above it (an even {@code k} breaks the tie
 * towards higher indices, wrapping around the ring). Then each of those {@code k} connections, in
 * ring order, is rewired with probability {@code beta}: replaced by an input drawn uniformly from
 * those the output is not connected to at that moment, so a row never holds a duplicate and
 * always has exactly {@code k} connections. With {@code k == in} every input is already connected
 * and nothing is rewired.
 *
 * <p>{@code k} defaults to {@code max(1, round((1 - sparsity) * in))}, so the layer has about the
 * requested sparsity ({@code nnz = k * out}); a fixed {@code k} ignores the sparsity. {@code beta}
 * defaults to {@value #DEFAULT_BETA}: {@code beta = 0} is the lattice itself, {@code beta = 1}
 * a random pattern with {@code k} connections per row. Generation costs O(nnz log k) time, in
 * parallel over rows, and the pattern depends on the arguments and seed only.
 */
public final class WattsStrogatzTopology implements Topology {

    /** The name this topology is registered under. */
    public static final String NAME = "watts-strogatz";

    /** The rewiring probability when none is given. */
    public static final double DEFAULT_BETA = 0.1;

    /** The fixed number of connections per output, or 0 to derive it from the sparsity. */
    private final int k;

    private final double beta;

    private WattsStrogatzTopology(int k, double beta) {
        this.k = k;
        this.beta = checkBeta(beta);
    }

    /**
     * The lattice of {@code k = max(1, round((1 - sparsity) * in))} nearest inputs, rewired with
     * probability {@code beta}.
     *
     * @throws IllegalArgumentException when {@code beta} is outside {@code [0, 1]}
     */
    public static WattsStrogatzTopology fromSparsity(double beta) {
        return new WattsStrogatzTopology(0, beta);
    }

    /**
     * The lattice of {@code k} nearest inputs, rewired with probability {@code beta}, whatever the
     * sparsity.
     *
     * @throws IllegalArgumentException when {@code k < 1} or {@code beta} is outside {@code [0, 1]};
     *         a {@code k} above a layer's inputs fails when that layer is connected
     */
    public static WattsStrogatzTopology withK(int k, double beta) {
        return new WattsStrogatzTopology(Checks.positive(k, "watts-strogatz k (inputs per output)"), beta);
    }

    @Override
    public String name() {
        return NAME;
    }

    /** The rewiring probability. */
    public double beta() {
        return beta;
    }

    /**
     * The number of connections per output a layer of {@code in} inputs at this sparsity gets:
     * the fixed {@code k}, or {@code max(1, round((1 - sparsity) * in))}.
     *
     * @throws IllegalArgumentException when {@code in} is not positive, the sparsity is outside
     *         {@code [0, 1)}, or the fixed {@code k} exceeds {@code in}
     */
    public int connectionsPerOutput(int in, double sparsity) {
        Checks.positive(in, "in (input features)");
        Checks.sparsity(sparsity);
        if (k == 0) {
            return (int) Math.max(1, Math.round((1 - sparsity) * in));
        }
        if (k > in) {
            throw new IllegalArgumentException(String.format(
                    Locale.ROOT,
                    "watts-strogatz k = %d (inputs per output) exceeds the layer's in = %d inputs; use k <= %d (k = %d "
                            + "connects every input) or leave k out to derive it from the sparsity",
                    k,
                    in,
                    in,
                    in));
        }
        return k;
    }

    /** {@inheritDoc} Exactly {@code connectionsPerOutput(in, sparsity) * out}. */
    @Override
    public long connectionCount(int in, int out, double sparsity) {
        int perOutput = connectionsPerOutput(in, sparsity);
        return (long) perOutput * Checks.positive(out, "out (output features)");
    }

    /**
     * {@inheritDoc} Each row has exactly {@link #connectionsPerOutput} connections.
     *
     * @throws IllegalArgumentException when {@code in} or {@code out} is not positive, the
     *         sparsity is outside {@code [0, 1)}, the fixed {@code k} exceeds {@code in}, or the
     *         layer would have more than {@link Connectivity#MAX_NNZ} connections
     */
    @Override
    public Connectivity connect(int in, int out, double sparsity, long seed) {
        int perOutput = connectionsPerOutput(in, sparsity);
        Checks.positive(out, "out (output features)");
        long nnz = (long) perOutput * out;
        if (nnz > Connectivity.MAX_NNZ) {
            throw new IllegalArgumentException(String.format(
                    Locale.ROOT,
                    "a layer of %d connections (k = %d per output, out = %d) exceeds int32 indexing (max %d); lower k, "
                            + "raise the sparsity or split the layer",
                    nnz,
                    perOutput,
                    out,
                    Connectivity.MAX_NNZ));
        }
        return RowBlocks.generate(out, in, seed, () -> new WattsStrogatzRows(in, out, perOutput, beta));
    }

    private static double checkBeta(double beta) {
        if (!(beta >= 0 && beta <= 1)) {
            throw new IllegalArgumentException("watts-strogatz beta (the rewiring probability) must be in [0, 1] "
                    + "(0 keeps the ring lattice, 1 rewires every connection), got " + beta);
        }
        return beta;
    }

    @Override
    public String toString() {
        return "WattsStrogatzTopology(k=" + (k == 0 ? "from sparsity" : k) + ", beta=" + beta + ")";
    }
}
