package org.sparselinear.spark;

import java.util.Objects;
import org.sparselinear.api.RewirableLayer;
import org.sparselinear.api.Rewiring;

/**
 * A partition's view of a rewiring rule: it asks for the rule's gradient candidates at the rule's
 * steps, so that the partition can report them, but never changes a connection, because in
 * {@link ParameterAveraging} only the driver rewires (on the averaged model) and every partition
 * must keep the broadcast pattern. Its name is the rule's, so the broadcast checkpoint restores into
 * a network built with it.
 */
final class DriverRewired implements Rewiring {

    private final Rewiring rule;

    DriverRewired(Rewiring rule) {
        this.rule = Objects.requireNonNull(rule, "rule");
    }

    @Override
    public String name() {
        return rule.name();
    }

    @Override
    public int gradientCandidates(long step, int nnz) {
        return rule.gradientCandidates(step, nnz);
    }

    /** Nothing: the driver runs the rule after averaging. */
    @Override
    public void afterStep(long step, RewirableLayer layer) {}

    /** Nothing: the driver runs the rule after averaging. */
    @Override
    public void afterEpoch(int epoch, RewirableLayer layer) {}

    @Override
    public String toString() {
        return "partition view of " + rule.name();
    }
}
