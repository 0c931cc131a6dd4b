package org.sparselinear.nn.sparsity;

import java.util.HashSet;
import java.util.Locale;
import java.util.Set;
import java.util.SplittableRandom;
import org.sparselinear.api.Connectivity;
import org.sparselinear.api.RewirableLayer;
import org.sparselinear.api.Rewiring;
import org.sparselinear.io.Config;
import org.sparselinear.io.ModelFileException;
import org.sparselinear.io.Saveable;
import org.sparselinear.io.StateWriter;

/**
 * Sparse Evolutionary Training, SET (Mocanu, Mocanu, Stone, Nguyen, Gibescu and Liotta, "Scalable
 * training of artificial neural networks with adaptive sparse connectivity inspired by network
 * science", Nature Communications 2018): at the end of every epoch, drop the fraction
 * {@code zeta} (default 0.3) of the connections with the smallest magnitude and grow as many at
 * uniformly random positions that were not connected; nnz never changes.
 *
 * <p>Choices: {@code floor(zeta * nnz)} connections change (at most the number of empty
 * positions); magnitude ties go to the lower position. The paper drops the fraction {@code zeta}
 * of the smallest positive and of the largest negative weights separately; this drops by
 * magnitude, which is the same when the signs are balanced. New connections start at weight 0
 * with zero optimizer state, as in {@link RigL} (the paper draws new weights at random), so a
 * rewiring never changes the function the layer computes except by what it drops. Grown
 * positions are drawn from the layer's own random stream, so a run is reproducible. Evaluate an
 * epoch before its rewiring (call {@code TrainingHooks.afterEpoch} after the evaluation, as the
 * {@code Trainer} does). A hand-written loop has no epochs the layer could see: it calls
 * {@code TrainingHooks.afterEpoch(model)} at the end of each, and a layer that trains 1000 steps
 * without one warns once (SET does not derive epochs from steps: how many steps make an epoch is
 * the loop's choice).
 * Immutable; one instance may serve several layers.
 */
public final class SET implements Rewiring, Saveable {

    /** The kind name a saved layer records for this rule. */
    public static final String KIND = "SET";

    /** The fraction of connections replaced per epoch in the paper. */
    public static final double DEFAULT_ZETA = 0.3;

    private final double zeta;

    private SET(double zeta) {
        if (!(zeta > 0 && zeta < 1)) {
            throw new IllegalArgumentException(
                    "SET zeta (the fraction of connections replaced each epoch) must be in " + "(0, 1), got " + zeta);
        }
        this.zeta = zeta;
    }

    /** SET with the paper's {@code zeta = 0.3}. */
    public static SET defaults() {
        return new SET(DEFAULT_ZETA);
    }

    /** SET replacing the fraction {@code zeta} in (0, 1) each epoch. */
    public static SET withZeta(double zeta) {
        return new SET(zeta);
    }

    /** The fraction replaced per epoch. */
    public double zeta() {
        return zeta;
    }

    /** The connections replaced per epoch: {@code floor(zeta * nnz)}, at most the unconnected positions. */
    public int connectionsToChange(Connectivity connectivity) {
        long empty = (long) connectivity.rows() * connectivity.columns() - connectivity.nnz();
        return (int) Math.min((long) (zeta * connectivity.nnz()), empty);
    }

    /** True: SET rewires at the end of every epoch. */
    @Override
    public boolean usesEpochs() {
        return true;
    }

    @Override
    public void afterEpoch(int epoch, RewirableLayer layer) {
        Connectivity connectivity = layer.connectivity();
        int count = connectionsToChange(connectivity);
        if (count == 0) {
            return;
        }
        float[] values = layer.downloadWeightValues();
        int[] dropped = RewirePlan.smallestMagnitudes(values, count);
        int[][] grown = randomEmptyPositions(connectivity, count, layer.random());
        RewirePlan plan = RewirePlan.of(connectivity, dropped, grown);
        layer.rewire(plan.connectivity(), plan.sourcePositions());
    }

    /**
     * {@code count} distinct positions drawn uniformly from those not in {@code connectivity}, as a
     * {@code (2, count)} array. A sparse pattern draws positions and rejects connected or repeated
     * ones (expected O(count) draws below 50 % density); a denser one lists its empty positions
     * (fewer than nnz) and picks from them.
     */
    static int[][] randomEmptyPositions(Connectivity connectivity, int count, SplittableRandom random) {
        int rows = connectivity.rows();
        int columns = connectivity.columns();
        long size = (long) rows * columns;
        int[][] positions = new int[2][count];
        if (2L * connectivity.nnz() > size) {
            long[] empty = new long[(int) (size - connectivity.nnz())];
            int n = 0;
            for (int r = 0; r < rows; r++) {
                int k = connectivity.rowStart(r);
                for (int c = 0; c < columns; c++) {
                    if (k < connectivity.rowStart(r + 1) && connectivity.column(k) == c) {
                        k++;
                    } else {
                        empty[n++] = (long) r * columns + c;
                    }
                }
            }
            for (int j = 0; j < count; j++) {
                int pick = j + random.nextInt(n - j);
                long chosen = empty[pick];
                empty[pick] = empty[j];
                empty[j] = chosen;
                positions[0][j] = (int) (chosen / columns);
                positions[1][j] = (int) (chosen % columns);
            }
            return positions;
        }
        Set<Long> chosen = new HashSet<>();
        int j = 0;
        while (j < count) {
            long position = random.nextLong(size);
            int r = (int) (position / columns);
            int c = (int) (position % columns);
            if (!connectivity.contains(r, c) && chosen.add(position)) {
                positions[0][j] = r;
                positions[1][j++] = c;
            }
        }
        return positions;
    }

    @Override
    public String name() {
        return String.format(Locale.ROOT, "SET(zeta=%s)", zeta);
    }

    @Override
    public String toString() {
        return name();
    }

    @Override
    public String kind() {
        return KIND;
    }

    /** {@code zeta}. */
    @Override
    public void describe(StateWriter out) {
        out.config("zeta", zeta);
    }

    /** Reads a saved SET rule (kind {@value #KIND}); registered by {@link BuiltInRewirings}. */
    static Rewiring read(Config settings) throws ModelFileException {
        double zeta = settings.finite("zeta");
        try {
            return withZeta(zeta);
        } catch (IllegalArgumentException e) {
            throw settings.fail("zeta", e.getMessage());
        }
    }
}
