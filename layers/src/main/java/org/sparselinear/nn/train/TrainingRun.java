package org.sparselinear.nn.train;

import java.util.List;
import java.util.Optional;
import org.sparselinear.api.Layer;
import org.sparselinear.nn.GradualMagnitudePruning;
import org.sparselinear.nn.TrainingProgress;
import org.sparselinear.nn.optim.Optimizer;

/** A {@link Trainer#fit} run as its {@link TrainingListener}s see it, and the way they ask it to stop. */
public interface TrainingRun {

    /** The model being trained. */
    Layer model();

    /**
     * The optimizer updating it now; a pruning step replaces it by one over the pruned layers'
     * parameters, so ask for it each time rather than keeping it.
     */
    Optimizer optimizer();

    /** The gradual pruning the run applies after every step, if any (its sparsity now, whether it has finished). */
    default Optional<GradualMagnitudePruning> pruning() {
        return Optional.empty();
    }

    /** The epochs the run trains in all (counting those before a resume). */
    int epochs();

    /** Epochs completed, their after-epoch hooks run. */
    int completedEpochs();

    /** Optimizer steps taken in all. */
    long step();

    /** Where the run stands, as a checkpoint records it (the end of the last completed epoch). */
    TrainingProgress progress();

    /** Whether every epoch is evaluated on a validation set. */
    boolean hasValidation();

    /** The monotonic clock, in nanoseconds, the trainer times its passes with. */
    long nanoTime();

    /** The epochs completed so far, in order. */
    List<EpochMetrics> history();

    /** Asks the run to stop after the current epoch; {@code reason} is kept for {@link #stopReason()}. */
    void requestStop(String reason);

    /** Why a listener stopped the run, or null while it runs its planned epochs. */
    String stopReason();
}
