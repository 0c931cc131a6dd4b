package org.sparselinear.nn;

import java.util.Locale;
import java.util.Objects;
import java.util.SplittableRandom;
import org.sparselinear.api.Backend;
import org.sparselinear.api.Connectivity;
import org.sparselinear.api.DenseMatrix;
import org.sparselinear.api.RewirableLayer;
import org.sparselinear.api.Rewiring;
import org.sparselinear.api.SparseMatrix;

/**
 * The per-layer state of a {@link Rewiring}: the step and epoch counts, the gradient candidates of
 * the current step and the layer's random stream; and the check of a rewire request.
 */
final class LayerRewiring {

    private final Rewiring rule;
    private final SplittableRandom random;
    private long completedSteps;
    private int completedEpochs;
    private int[][] candidates;
    private long candidatesStep = -1;

    LayerRewiring(Rewiring rule, long seed) {
        this.rule = Objects.requireNonNull(rule, "rewiring");
        this.random = new SplittableRandom(seed);
    }

    Rewiring rule() {
        return rule;
    }

    SplittableRandom random() {
        return random;
    }

    /** Steps completed (after-step hooks seen). */
    long completedSteps() {
        return completedSteps;
    }

    /**
     * In the backward pass of the current training step: finds the grow candidates the rule asks
     * for, on the backend, from the step's input and output gradient.
     */
    void onBackward(Backend backend, DenseMatrix dy, DenseMatrix x, SparseMatrix pattern) {
        long step = completedSteps + 1;
        int k = rule.gradientCandidates(step, pattern.nnz());
        if (k > 0) {
            candidates = backend.topKAbsDenseGradient(dy, x, pattern, k);
            candidatesStep = step;
        }
    }

    /** The candidates found in this step's backward pass, or null. */
    int[][] candidates() {
        if (candidatesStep != completedSteps + 1 || candidates == null) {
            return null;
        }
        return new int[][] {candidates[0].clone(), candidates[1].clone()};
    }

    void afterStep(RewirableLayer layer) {
        long step = completedSteps + 1;
        try {
            rule.afterStep(step, layer);
        } finally {
            completedSteps = step;
            candidates = null;
        }
    }

    void afterEpoch(RewirableLayer layer) {
        completedEpochs++;
        rule.afterEpoch(completedEpochs, layer);
    }

    /**
     * Checks a rewire request: same shape and nnz, one source position per new connection, each
     * in {@code [-1, nnz)}, none used twice, and every kept connection at its old place.
     */
    static void check(Connectivity old, Connectivity next, int[] sourcePositions, String layer) {
        Objects.requireNonNull(next, "next connectivity");
        Objects.requireNonNull(sourcePositions, "sourcePositions");
        if (next.rows() != old.rows() || next.columns() != old.columns()) {
            throw new IllegalArgumentException(String.format(Locale.ROOT,
                    "%s: rewire keeps the shape (%d, %d), got a (%d, %d) pattern", layer, old.rows(), old.columns(),
                    next.rows(), next.columns()));
        }
        int nnz = old.nnz();
        if (next.nnz() != nnz || sourcePositions.length != nnz) {
            throw new IllegalArgumentException(String.format(Locale.ROOT,
                    "%s: rewire keeps the number of connections %d, got %d connections and %d source positions",
                    layer, nnz, next.nnz(), sourcePositions.length));
        }
        int[] oldRows = old.toCoo()[0];
        int[] usedBy = new int[nnz];
        java.util.Arrays.fill(usedBy, -1);
        for (int r = 0; r < next.rows(); r++) {
            for (int j = next.rowStart(r); j < next.rowStart(r + 1); j++) {
                int from = sourcePositions[j];
                if (from == -1) {
                    continue;
                }
                if (from < -1 || from >= nnz) {
                    throw new IllegalArgumentException(String.format(Locale.ROOT,
                            "%s: source position %d is %d, expected -1 (a new connection) or an old position in [0, %d)",
                            layer, j, from, nnz));
                }
                if (usedBy[from] >= 0) {
                    throw new IllegalArgumentException(String.format(Locale.ROOT,
                            "%s: old connection %d is the source of new connections %d and %d; each may be kept once",
                            layer, from, usedBy[from], j));
                }
                usedBy[from] = j;
                if (oldRows[from] != r || old.column(from) != next.column(j)) {
                    throw new IllegalArgumentException(String.format(Locale.ROOT,
                            "%s: new connection %d at (%d, %d) takes old connection %d at (%d, %d); a kept connection "
                                    + "must stay where it is", layer, j, r, next.column(j), from, oldRows[from],
                            old.column(from)));
                }
            }
        }
    }
}
