package org.sparselinear.topology;

import java.util.Arrays;
import java.util.SplittableRandom;

/**
 * Draws the rows of a Watts-Strogatz layer ({@link WattsStrogatzTopology}): the ring lattice,
 * then each connection rewired with probability {@code beta} to an input drawn uniformly from
 * those the output is not connected to at that moment.
 *
 * <p>The uniform draw costs O(1) expected time either way: when {@code k <= in / 2}, by
 * rejection against a bit set of the row (at most 2 tries on average); otherwise from the list of
 * the {@code in - k <= k} unconnected inputs, where the rewired-away input takes the drawn one's
 * place. A row costs O(k log k) (the final sort), never O(in).
 */
final class WattsStrogatzRows implements RowBlocks.RowSampler {

    private final int in;
    private final int out;
    private final int k;
    private final double beta;
    private final int[] row;
    /** The row's inputs as bits, when drawing by rejection; else null. */
    private final long[] connected;
    /** The unconnected inputs, when drawing from the list; else null. */
    private final int[] unconnected;

    WattsStrogatzRows(int in, int out, int k, double beta) {
        this.in = in;
        this.out = out;
        this.k = k;
        this.beta = beta;
        this.row = new int[k];
        boolean rewires = beta > 0 && k < in;
        boolean byRejection = k <= in / 2;
        this.connected = rewires && byRejection ? new long[(in + 63) >>> 6] : null;
        this.unconnected = rewires && !byRejection ? new int[in - k] : null;
    }

    /** The input that output {@code o} faces on the ring: {@code round(o * in / out)}, modulo {@code in}. */
    int centre(int o) {
        return (int) (((2L * o * in + out) / (2L * out)) % in);
    }

    /**
     * The first input of output {@code o}'s lattice window, which runs over {@code k} inputs on the
     * ring: {@code (k - 1) / 2} below the centre, the rest above (an even {@code k} breaks the tie
     * towards higher indices). May be negative: indices are taken modulo {@code in}.
     */
    int windowStart(int o) {
        return centre(o) - (k - 1) / 2;
    }

    @Override
    public double expectedLength(int row) {
        return k;
    }

    @Override
    public void appendRow(int o, SplittableRandom random, ColumnBuffer columns) {
        int start = windowStart(o);
        for (int t = 0; t < k; t++) {
            row[t] = Math.floorMod((long) start + t, in);
        }
        if (connected != null) {
            rewireByRejection(random);
        } else if (unconnected != null) {
            rewireFromList(start, random);
        }
        Arrays.sort(row);
        columns.addAll(row, k);
    }

    private void rewireByRejection(SplittableRandom random) {
        for (int input : row) {
            flip(input);
        }
        for (int t = 0; t < k; t++) {
            if (random.nextDouble() < beta) {
                int drawn;
                do {
                    drawn = random.nextInt(in);
                } while ((connected[drawn >>> 6] & (1L << drawn)) != 0);
                flip(drawn);
                flip(row[t]);
                row[t] = drawn;
            }
        }
        for (int input : row) {
            flip(input);
        }
    }

    private void rewireFromList(int start, SplittableRandom random) {
        for (int f = 0; f < unconnected.length; f++) {
            unconnected[f] = Math.floorMod((long) start + k + f, in);
        }
        for (int t = 0; t < k; t++) {
            if (random.nextDouble() < beta) {
                int slot = random.nextInt(unconnected.length);
                int drawn = unconnected[slot];
                unconnected[slot] = row[t];
                row[t] = drawn;
            }
        }
    }

    private void flip(int input) {
        connected[input >>> 6] ^= 1L << input;
    }
}
