package com.example.banded;

import java.util.Locale;
import org.sparselinear.api.Connectivity;
import org.sparselinear.api.Topology;

/**
 * A banded pattern: output {@code o} connects to {@code width} consecutive inputs around its
 * diagonal position {@code round(o * in / out)}, {@code (width - 1) / 2} below it and the rest
 * above, the band slid inwards where it would cross the first or last input. Every row has exactly
 * {@code width} connections, so {@code nnz = width * out}.
 *
 * <p>The width is fixed ({@link #ofWidth}) or derived from the sparsity ({@link #fromSparsity}:
 * {@code max(1, round((1 - sparsity) * in))}). The pattern is deterministic: the seed is ignored.
 * Time and memory are O(nnz).
 */
public final class BandedTopology implements Topology {

    /** The name this topology is registered under. */
    public static final String NAME = "banded";

    /** The fixed band width, or 0 to derive it from the sparsity. */
    private final int width;

    private BandedTopology(int width) {
        this.width = width;
    }

    /** A band of {@code max(1, round((1 - sparsity) * in))} inputs per output. */
    public static BandedTopology fromSparsity() {
        return new BandedTopology(0);
    }

    /**
     * A band of {@code width} inputs per output, whatever the sparsity.
     *
     * @throws IllegalArgumentException when {@code width < 1}; a width above a layer's inputs
     *         fails when that layer is connected
     */
    public static BandedTopology ofWidth(int width) {
        return new BandedTopology(positive(width, "banded width (inputs per output)"));
    }

    @Override
    public String name() {
        return NAME;
    }

    /**
     * The band width a layer of {@code in} inputs at this sparsity gets.
     *
     * @throws IllegalArgumentException when {@code in} is not positive, the sparsity is outside
     *         {@code [0, 1)}, or the fixed width exceeds {@code in}
     */
    public int width(int in, double sparsity) {
        positive(in, "in (input features)");
        if (!(sparsity >= 0 && sparsity < 1)) {
            throw new IllegalArgumentException("sparsity must be in [0, 1) (the fraction of connections that are "
                    + "absent; 0 is dense), got " + sparsity);
        }
        if (width == 0) {
            return (int) Math.max(1, Math.round((1 - sparsity) * in));
        }
        if (width > in) {
            throw new IllegalArgumentException(String.format(Locale.ROOT,
                    "banded width = %d (inputs per output) exceeds the layer's in = %d inputs; use a width <= %d or "
                            + "leave it out to derive it from the sparsity", width, in, in));
        }
        return width;
    }

    /**
     * {@inheritDoc} Ignores the seed.
     *
     * @throws IllegalArgumentException when {@code in} or {@code out} is not positive, the
     *         sparsity is outside {@code [0, 1)}, the fixed width exceeds {@code in}, or the layer
     *         would have more than {@link Connectivity#MAX_NNZ} connections
     */
    @Override
    public Connectivity connect(int in, int out, double sparsity, long seed) {
        int band = width(in, sparsity);
        long nnz = connectionCount(in, out, sparsity);
        if (nnz > Connectivity.MAX_NNZ) {
            throw new IllegalArgumentException(String.format(Locale.ROOT,
                    "a banded layer of %d connections (width %d, out = %d) exceeds int32 indexing (max %d); narrow "
                            + "the band or split the layer", nnz, band, out, Connectivity.MAX_NNZ));
        }
        int[] rowPointers = new int[out + 1];
        int[] columnIndices = new int[(int) nnz];
        for (int o = 0; o < out; o++) {
            int first = firstInput(o, in, out, band);
            int start = o * band;
            for (int t = 0; t < band; t++) {
                columnIndices[start + t] = first + t;
            }
            rowPointers[o + 1] = start + band;
        }
        return Connectivity.ofTrustedCsr(out, in, rowPointers, columnIndices);
    }

    /**
     * {@inheritDoc} Exactly {@code width(in, sparsity) * out}: with a fixed width, whatever the
     * sparsity. A layer checks its memory with this count before it allocates.
     */
    @Override
    public long connectionCount(int in, int out, double sparsity) {
        return (long) width(in, sparsity) * positive(out, "out (output features)");
    }

    private static int positive(int value, String what) {
        if (value <= 0) {
            throw new IllegalArgumentException(what + " must be positive, got " + value);
        }
        return value;
    }

    /** The first input of output {@code o}'s band of {@code band} inputs. */
    static int firstInput(int o, int in, int out, int band) {
        long diagonal = (2L * o * in + out) / (2L * out);
        long first = diagonal - (band - 1) / 2;
        return (int) Math.max(0, Math.min(first, in - band));
    }

    @Override
    public String toString() {
        return "BandedTopology(width=" + (width == 0 ? "from sparsity" : width) + ")";
    }
}
