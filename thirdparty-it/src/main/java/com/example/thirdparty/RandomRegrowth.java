package com.example.thirdparty;

import java.util.Arrays;
import java.util.HashSet;
import java.util.Set;
import java.util.SplittableRandom;
import org.sparselinear.api.Connectivity;
import org.sparselinear.api.RewirableLayer;
import org.sparselinear.api.Rewiring;
import org.sparselinear.io.Saveable;
import org.sparselinear.io.StateWriter;

/**
 * A rewiring rule written outside the library: after every epoch it drops the {@code count} connections of
 * smallest weight magnitude and grows as many at positions drawn uniformly from the empty ones, with the layer's
 * own random stream (SET's rule with a fixed count instead of a fraction; Mocanu et al. 2018). Saved with a sparse
 * layer through {@link Saveable} and rebuilt by {@link ThirdPartyKinds}, as RigL and SET are.
 */
public final class RandomRegrowth implements Rewiring, Saveable {

    /** The kind name a saved layer records for this rule. */
    public static final String KIND = "com.example.thirdparty.RandomRegrowth";

    private final int count;

    /**
     * Replaces {@code count} connections per epoch.
     *
     * @throws IllegalArgumentException when {@code count < 1}
     */
    public RandomRegrowth(int count) {
        if (count < 1) {
            throw new IllegalArgumentException("RandomRegrowth count must be at least 1, got " + count);
        }
        this.count = count;
    }

    /** The connections replaced per epoch. */
    public int count() {
        return count;
    }

    @Override
    public String name() {
        return "RandomRegrowth(count=" + count + ")";
    }

    @Override
    public void afterEpoch(int epoch, RewirableLayer layer) {
        Connectivity old = layer.connectivity();
        int nnz = old.nnz();
        int change = (int) Math.min(count, Math.min(nnz, (long) old.rows() * old.columns() - nnz));
        if (change == 0) {
            return;
        }
        float[] weights = layer.downloadWeightValues();
        long[] byMagnitude = new long[nnz];
        for (int k = 0; k < nnz; k++) {
            byMagnitude[k] = ((long) Float.floatToIntBits(Math.abs(weights[k])) << 32) | k;
        }
        Arrays.sort(byMagnitude);
        boolean[] dropped = new boolean[nnz];
        for (int d = 0; d < change; d++) {
            dropped[(int) byMagnitude[d]] = true;
        }
        int[][] coo = old.toCoo();
        Set<Long> taken = new HashSet<>();
        for (int k = 0; k < nnz; k++) {
            taken.add((long) coo[0][k] * old.columns() + coo[1][k]);
        }
        int[] rows = new int[nnz];
        int[] columns = new int[nnz];
        int[] keptSources = new int[nnz - change];
        int next = 0;
        for (int k = 0; k < nnz; k++) {
            if (!dropped[k]) {
                keptSources[next] = k;
                rows[next] = coo[0][k];
                columns[next++] = coo[1][k];
            }
        }
        SplittableRandom random = layer.random();
        while (next < nnz) {
            int row = random.nextInt(old.rows());
            int column = random.nextInt(old.columns());
            if (taken.add((long) row * old.columns() + column)) {
                rows[next] = row;
                columns[next++] = column;
            }
        }
        Connectivity grown = Connectivity.fromCoo(old.rows(), old.columns(), new int[][] {rows, columns});
        int[] sources = new int[nnz];
        Arrays.fill(sources, -1);
        int[] keptPositions =
                grown.positionsOf(Arrays.copyOf(rows, keptSources.length), Arrays.copyOf(columns, keptSources.length));
        for (int k = 0; k < keptSources.length; k++) {
            sources[keptPositions[k]] = keptSources[k];
        }
        layer.rewire(grown, sources);
    }

    @Override
    public String kind() {
        return KIND;
    }

    /** {@code count}. */
    @Override
    public void describe(StateWriter out) {
        out.config("count", count);
    }
}
