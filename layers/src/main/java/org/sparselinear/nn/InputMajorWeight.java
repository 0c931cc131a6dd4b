package org.sparselinear.nn;

import org.sparselinear.api.Backend;
import org.sparselinear.api.Connectivity;
import org.sparselinear.api.MemoryScope;
import org.sparselinear.api.SparseMatrix;
import org.sparselinear.spi.TransposeMap;

/**
 * A sparse weight {@code W (out, in)} held input-major, as a {@link SparseLinear} holds it while it is fed
 * sparse batches: the pattern of {@code T = W^T} {@code (in, out)}, whose CSR order is W's column order, so that
 * the connections of one input feature and their values lie contiguous (see
 * {@link org.sparselinear.spi.SparseInputProducts}), and for every stored position the position of the same
 * connection in W's row order, through which the values move between the two orders.
 *
 * <p>A sparse batch reads the weight by feature; stored in row order, the values of a feature lie scattered
 * over the layer, and every batch would gather them and scatter their gradient back.
 */
final class InputMajorWeight implements AutoCloseable {

    private final Connectivity weight;
    private final SparseMatrix pattern;
    /** For every input-major position, the row-major position of its connection. */
    private final int[] rowPositions;

    private InputMajorWeight(Connectivity weight, SparseMatrix pattern, int[] rowPositions) {
        this.weight = weight;
        this.pattern = pattern;
        this.rowPositions = rowPositions;
    }

    /** {@code weight} held input-major on {@code backend}; the pattern is built outside every memory scope. */
    static InputMajorWeight of(Connectivity weight, Backend backend) {
        TransposeMap columns = weight.transposeMap();
        Connectivity transposed = Connectivity.ofTrustedCsr(
                weight.columns(), weight.rows(), columns.columnPointers(), columns.rowIndices());
        try (MemoryScope own = backend.newScope()) {
            return new InputMajorWeight(weight, own.keep(backend.pattern(transposed)), columns.valuePositions());
        }
    }

    /** The pattern of {@code T = W^T}. */
    SparseMatrix pattern() {
        return pattern;
    }

    /** The sources that move row-ordered values into this order ({@code Parameter.remap}). */
    int[] fromRowOrder() {
        return rowPositions;
    }

    /**
     * The sources that move values in this order back into row order: for every row-major position, its
     * position here. One pass in row order with a cursor per input (the placing pass of a counting sort by
     * column), where inverting {@link #fromRowOrder()} would write the whole array at random.
     */
    int[] toRowOrder() {
        int[] cursors = pattern.connectivity().rowPointers();
        int[] positions = new int[rowPositions.length];
        for (int r = 0; r < positions.length; r++) {
            positions[r] = cursors[weight.column(r)]++;
        }
        return positions;
    }

    /** Values in this order, rearranged into row order. */
    float[] inRowOrder(float[] values) {
        return OptimizerTransfer.gather(values, toRowOrder());
    }

    /**
     * The sources, in this order's positions, of a rewiring to {@code next}: {@code rowSources} gives, for
     * every row-major position of the next weight, the row-major position of the connection it keeps here (or
     * -1 for a new one, as {@link org.sparselinear.api.RewirableLayer#rewire}); the result gives the same for
     * {@code next}'s input-major positions, in this order's positions.
     */
    int[] sourcesOf(InputMajorWeight next, int[] rowSources) {
        int[] here = toRowOrder();
        int[] sources = new int[next.rowPositions.length];
        for (int q = 0; q < sources.length; q++) {
            int source = rowSources[next.rowPositions[q]];
            sources[q] = source < 0 ? -1 : here[source];
        }
        return sources;
    }

    @Override
    public void close() {
        pattern.close();
    }
}
