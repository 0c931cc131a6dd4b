package org.sparselinear.spark;

import java.util.SplittableRandom;
import org.sparselinear.api.Backend;
import org.sparselinear.api.Connectivity;
import org.sparselinear.api.Parameter;
import org.sparselinear.api.RewirableLayer;
import org.sparselinear.nn.SparseLinear;

/**
 * A sparse layer as its rewiring rule sees it on the driver: the averaged layer itself, except
 * that its grow candidates are those merged from the partitions ({@link CandidateVotes}), so the
 * rule's own code (RigL's drop-smallest-and-grow) decides the new pattern once, for everyone.
 */
final class MergedCandidates implements RewirableLayer {

    private final SparseLinear layer;
    private final int[][] candidates;

    MergedCandidates(SparseLinear layer, int[][] candidates) {
        this.layer = layer;
        this.candidates = candidates;
    }

    @Override
    public Backend backend() {
        return layer.backend();
    }

    @Override
    public Parameter weightValues() {
        return layer.weightValues();
    }

    @Override
    public float[] downloadWeightValues() {
        return layer.downloadWeightValues();
    }

    @Override
    public int[][] gradientCandidates() {
        return new int[][] {candidates[0].clone(), candidates[1].clone()};
    }

    @Override
    public SplittableRandom random() {
        return layer.random();
    }

    @Override
    public Connectivity connectivity() {
        return layer.connectivity();
    }

    @Override
    public void rewire(Connectivity next, int[] sourcePositions) {
        layer.rewire(next, sourcePositions);
    }
}
