package org.sparselinear.spark;

import java.io.Serializable;

/**
 * One round of {@link ParameterAveraging}: the global optimizer steps it covers
 * ({@code firstStep .. firstStep + steps - 1}, 1-based) and whether its last step is one at which
 * a rewiring rule wants the gradient's grow candidates (RigL's update steps), which the partitions
 * then report.
 */
record RoundPlan(int round, long firstStep, int steps, boolean wantsCandidates) implements Serializable {

    long lastStep() {
        return firstStep + steps - 1;
    }
}
