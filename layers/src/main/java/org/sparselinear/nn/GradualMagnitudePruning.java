package org.sparselinear.nn;

import java.util.ArrayList;
import java.util.IdentityHashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import org.sparselinear.api.Layer;
import org.sparselinear.api.Parameter;
import org.sparselinear.nn.optim.Optimizer;

/**
 * Gradual magnitude pruning during training (Zhu and Gupta 2017, "To prune, or not to prune:
 * exploring the efficacy of pruning for model compression"): at the steps of a
 * {@link PruningSchedule}, every {@link Linear} and {@link SparseLinear} layer directly in a
 * {@link Sequential} keeps only its largest-magnitude weights, each layer to the schedule's
 * sparsity. The pruning is real, not a mask: at its first pruning step a {@code Linear} is
 * replaced by a {@code SparseLinear} ({@link Sequential#replace}), and later steps replace that
 * layer by one with fewer connections, so memory and time shrink with the weights.
 *
 * <p>A replaced layer's parameters are new objects, so the optimizer is rebuilt over the model's
 * new parameters with its kind and settings, and its per-parameter state (momentum, Adam's
 * moments) follows the kept weights bit for bit while the removed ones' state is dropped; the old
 * optimizer and the replaced layers are closed. Hence {@link #step} returns the optimizer to use
 * from then on:
 * <pre>{@code
 * var pruning = new GradualMagnitudePruning(PruningSchedule.cubic(0, 0.9, 1, 2000, 100));
 * for (Batch batch : loader) {
 *     try (MemoryScope step = backend.newScope()) {
 *         ... optimizer.zeroGrad(); loss.backward(); optimizer.step();
 *     }
 *     optimizer = pruning.step(model, optimizer);   // outside the step's scope
 * }
 * pruning.close();                                  // warns if the final sparsity was not reached
 * }</pre>
 * Call {@link #step} once after every optimizer step and outside any memory scope (the new
 * layers' memory must outlive it). A learning-rate scheduler holds the optimizer it was built
 * with: build a new one over the returned optimizer when it changes.
 * {@link org.sparselinear.nn.train.Trainer.Builder#pruning} does all of this inside the trainer's
 * loop (the schedule, clipping, checkpoints and early stopping follow the new optimizer). The optimizer must be
 * {@link org.sparselinear.io.Saveable} with a provider (SGD, Adam, AdamW, or a third party's).
 *
 * <p>A pruned model is an ordinary {@code Sequential} of {@code SparseLinear} layers: it saves,
 * loads and checkpoints like any other. Not thread-safe.
 */
public final class GradualMagnitudePruning implements AutoCloseable {

    private static final System.Logger LOGGER = System.getLogger("org.sparselinear.nn");

    private final PruningSchedule schedule;
    private long completedSteps;

    /** Pruning by {@code schedule}, starting before step 1. */
    public GradualMagnitudePruning(PruningSchedule schedule) {
        this(schedule, 0);
    }

    /**
     * Pruning by {@code schedule} in a run resumed after {@code completedSteps} optimizer steps
     * (the model then holds the layers that run had pruned).
     *
     * @throws IllegalArgumentException when {@code completedSteps} is negative
     */
    public GradualMagnitudePruning(PruningSchedule schedule, long completedSteps) {
        this.schedule = Objects.requireNonNull(schedule, "GradualMagnitudePruning: the schedule is null");
        if (completedSteps < 0) {
            throw new IllegalArgumentException(
                    "GradualMagnitudePruning: completed steps must be >= 0, got " + completedSteps);
        }
        this.completedSteps = completedSteps;
    }

    /**
     * Counts one optimizer step and, when the schedule prunes at it, prunes every {@code Linear}
     * and {@code SparseLinear} of {@code model} to the schedule's sparsity and returns a new
     * optimizer over the model's new parameters ({@code optimizer} is then closed); otherwise
     * returns {@code optimizer}. A layer already as sparse as the target is left as it is.
     *
     * @throws IllegalArgumentException when the model has no layer to prune, a layer to prune
     *         rewires its connections, the sparsity would leave a layer without weights, or the
     *         optimizer cannot be rebuilt (not saveable)
     */
    public Optimizer step(Sequential model, Optimizer optimizer) {
        Objects.requireNonNull(model, "GradualMagnitudePruning.step: the model is null");
        Objects.requireNonNull(optimizer, "GradualMagnitudePruning.step: the optimizer is null");
        List<Integer> prunable = prunableLayers(model);
        completedSteps++;
        if (!schedule.prunesAt(completedSteps)) {
            return optimizer;
        }
        Map<Integer, Integer> keep = weightsToKeep(model, prunable, schedule.sparsityAt(completedSteps));
        if (keep.isEmpty()) {
            return optimizer;
        }
        Map<Integer, MagnitudePruning.Pruned> pruned = new LinkedHashMap<>();
        Optimizer next;
        try {
            keep.forEach((index, count) ->
                    pruned.put(index, MagnitudePruning.prune(model.layers().get(index), count)));
            next = OptimizerTransfer.transfer(optimizer, replacements(model, pruned));
        } catch (RuntimeException e) {
            pruned.values().forEach(layer -> layer.layer().close());
            throw e;
        }
        pruned.forEach((index, layer) -> model.replace(index, layer.layer()).close());
        return next;
    }

    /** For each layer to prune now, by position, the weights it keeps; layers as sparse already are left out. */
    private static Map<Integer, Integer> weightsToKeep(Sequential model, List<Integer> prunable, double sparsity) {
        Map<Integer, Integer> keep = new LinkedHashMap<>();
        for (int index : prunable) {
            Layer layer = model.layers().get(index);
            int count = keptWeights(layer, sparsity, index);
            if (count < layer.parameters().get(0).numel()) {
                keep.put(index, count);
            }
        }
        return keep;
    }

    /** Each parameter of the layers being replaced, with its successor: the weight keeps some elements, the bias all. */
    private static Map<Parameter, OptimizerTransfer.Replacement> replacements(
            Sequential model, Map<Integer, MagnitudePruning.Pruned> pruned) {
        Map<Parameter, OptimizerTransfer.Replacement> replacements = new IdentityHashMap<>();
        pruned.forEach((index, layer) -> {
            List<Parameter> before = model.layers().get(index).parameters();
            List<Parameter> after = layer.layer().parameters();
            replacements.put(before.get(0), new OptimizerTransfer.Replacement(after.get(0), layer.keptPositions()));
            for (int p = 1; p < before.size(); p++) {
                replacements.put(before.get(p), new OptimizerTransfer.Replacement(after.get(p), null));
            }
        });
        return replacements;
    }

    /** Optimizer steps counted so far. */
    public long completedSteps() {
        return completedSteps;
    }

    /** The sparsity the schedule has pruned to by now (0 before its first pruning step). */
    public double sparsity() {
        return schedule.sparsityAt(completedSteps);
    }

    /** Whether the last pruning step has run, so the model has the final sparsity. */
    public boolean isFinished() {
        return completedSteps >= schedule.endStep();
    }

    /** The schedule. */
    public PruningSchedule schedule() {
        return schedule;
    }

    /**
     * Marks the end of training: when the schedule has not reached its final sparsity (training
     * ended before its end step, or {@link #step} was not called after every optimizer step), logs
     * a warning on the {@code System.Logger} {@code org.sparselinear.nn} saying where it stopped.
     */
    @Override
    public void close() {
        if (!isFinished()) {
            LOGGER.log(System.Logger.Level.WARNING, () -> unfinishedMessage());
        }
    }

    /** What {@link #close()} warns, also for callers that report it themselves. */
    public String unfinishedMessage() {
        return String.format(
                Locale.ROOT,
                "gradual magnitude pruning stopped after %d optimizer steps at sparsity %.4f, before its end step %d "
                        + "and final sparsity %s; train longer, end the schedule earlier, or call "
                        + "GradualMagnitudePruning.step after every optimizer step",
                completedSteps,
                sparsity(),
                schedule.endStep(),
                schedule.finalSparsity());
    }

    private static List<Integer> prunableLayers(Sequential model) {
        List<Integer> prunable = new ArrayList<>();
        List<Layer> layers = model.layers();
        for (int i = 0; i < layers.size(); i++) {
            Layer layer = layers.get(i);
            if (layer instanceof SparseLinear sparse && sparse.rewiring() != null) {
                throw new IllegalArgumentException("GradualMagnitudePruning: layer " + i + " (" + sparse
                        + ") rewires its connections with " + sparse.rewiring().name()
                        + "; pruning and rewiring one layer would fight over its connections. Prune a layer "
                        + "without rewiring");
            }
            if (layer instanceof Linear || layer instanceof SparseLinear) {
                prunable.add(i);
            }
        }
        if (prunable.isEmpty()) {
            throw new IllegalArgumentException("GradualMagnitudePruning: the model has no Linear or SparseLinear "
                    + "layer directly in its Sequential to prune (layers inside another container are not pruned): "
                    + model);
        }
        return prunable;
    }

    /**
     * The weights {@code layer} keeps at {@code sparsity}.
     *
     * @throws IllegalArgumentException when that is none
     */
    private static int keptWeights(Layer layer, double sparsity, int index) {
        long total = layer instanceof Linear dense
                ? (long) dense.inFeatures() * dense.outFeatures()
                : (long) ((SparseLinear) layer).inFeatures() * ((SparseLinear) layer).outFeatures();
        long keep = Math.round((1 - sparsity) * total);
        if (keep < 1) {
            throw new IllegalArgumentException("GradualMagnitudePruning: sparsity " + sparsity + " keeps no weight of"
                    + " the " + total + " of layer " + index + " (" + layer + "); use a lower final sparsity");
        }
        return (int) Math.min(keep, Integer.MAX_VALUE);
    }
}
