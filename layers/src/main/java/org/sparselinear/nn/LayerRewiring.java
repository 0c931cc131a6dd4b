package org.sparselinear.nn;

import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.SplittableRandom;
import org.sparselinear.api.Backend;
import org.sparselinear.api.Connectivity;
import org.sparselinear.api.DenseMatrix;
import org.sparselinear.api.RewirableLayer;
import org.sparselinear.api.Rewiring;
import org.sparselinear.api.SparseMatrix;
import org.sparselinear.api.SparseTensor;
import org.sparselinear.io.Config;
import org.sparselinear.io.ModelFileException;
import org.sparselinear.io.Providers;
import org.sparselinear.io.RewiringProvider;
import org.sparselinear.io.Saveable;
import org.sparselinear.io.StateReader;
import org.sparselinear.io.StateWriter;

/**
 * The per-layer state of a {@link Rewiring}: the step and epoch counts, the gradient candidates of
 * the current step and the layer's random streams; and the check of a rewire request.
 *
 * <p>The random stream a rule sees through {@link RewirableLayer#random()} is derived afresh for
 * every hook call from the layer's rewiring seed and the call (step {@code t} or epoch {@code e}),
 * so it depends on nothing but those: a run resumed from a checkpoint (seed and counters) draws
 * exactly the numbers the uninterrupted run would have drawn.
 *
 * <p>Steps advance by themselves: the layer's weight {@link org.sparselinear.api.Parameter} calls
 * {@link #afterOptimizerStep} at the end of every optimizer step that updates it (the built-in
 * optimizers report their steps with {@link Parameters#afterUpdate}). An explicit
 * {@link TrainingHooks#afterStep(org.sparselinear.api.Layer)} after such a step does nothing, so
 * a loop written for the hooks counts every step once; with an optimizer that does not report its
 * steps, the explicit call advances the step as before. A layer that runs
 * {@value #BACKWARDS_BEFORE_WARNING} training backward passes with no step in between logs one
 * warning (logger {@code org.sparselinear.nn}) saying that its rewiring is not running. Epochs end
 * through {@link TrainingHooks#afterEpoch(org.sparselinear.api.Layer)} (the {@code Trainer} calls
 * it); a rule that works per epoch (SET) warns through {@link EpochWatch} when none ends.
 */
final class LayerRewiring {

    private static final long STEP_STREAM = 1;
    private static final long EPOCH_STREAM = 2;

    /** Training backward passes without an after-step hook that make a layer warn. */
    static final int BACKWARDS_BEFORE_WARNING = 100;

    private static final System.Logger LOGGER = System.getLogger("org.sparselinear.nn");

    private Rewiring rule;
    private long seed;
    private SplittableRandom random;
    private long completedSteps;
    private int completedEpochs;
    private int[][] candidates;
    private long candidatesStep = -1;
    private int backwardsSinceStep;
    private boolean warned;
    private boolean stepReportedByOptimizer;
    private final EpochWatch epochWatch = new EpochWatch();

    LayerRewiring(Rewiring rule, long seed) {
        this.rule = Objects.requireNonNull(rule, "rewiring");
        this.seed = seed;
        this.random = stream(seed, 0, 0);
    }

    Rewiring rule() {
        return rule;
    }

    /**
     * Before training: the rule takes the run's horizon ({@link Rewiring#forRun}), and the run is
     * known to end its epochs.
     */
    void beforeTraining(long plannedSteps) {
        rule = Objects.requireNonNull(rule.forRun(plannedSteps), "the rule's forRun returned null");
        epochWatch.announced();
    }

    /** Whether the rule waits for the run's horizon ({@link Rewiring#forRun} would change it). */
    boolean awaitsHorizon() {
        return rule.forRun(Long.MAX_VALUE) != rule;
    }

    /** Takes the rule a saved layer had, the same rule with the run's horizon ({@link #awaitsHorizon}). */
    void adopt(Rewiring planned) {
        rule = Objects.requireNonNull(planned, "rule");
    }

    /** The stream of the current (or, between hooks, the last) hook call. */
    SplittableRandom random() {
        return random;
    }

    /** The seed every stream is derived from. */
    long seed() {
        return seed;
    }

    /** Steps completed (after-step hooks seen). */
    long completedSteps() {
        return completedSteps;
    }

    /** Epochs completed (after-epoch hooks seen). */
    int completedEpochs() {
        return completedEpochs;
    }

    /** Restores saved counters and seed, between training steps. */
    void restore(long savedSeed, long steps, int epochs) {
        if (steps < 0 || epochs < 0) {
            throw new IllegalArgumentException(
                    "rewiring counters must be >= 0, got " + steps + " steps and " + epochs + " epochs");
        }
        this.seed = savedSeed;
        this.completedSteps = steps;
        this.completedEpochs = epochs;
        this.candidates = null;
        this.candidatesStep = -1;
        this.random = stream(savedSeed, 0, 0);
    }

    /** The keys of a layer's {@code "rewiring"} entry that belong to the layer, not to the rule's settings. */
    private static final Set<String> LAYER_KEYS = Set.of("rule", "name", "seed", "steps", "epochs", "class");

    /** The rule name of a rewiring that no {@link RewiringProvider} rebuilds. */
    private static final String CUSTOM = "custom";

    /**
     * The rewiring as a layer's file description holds it: the rule's kind and its settings when the rule is
     * {@link Saveable} (RigL, SET, or a third party's registered through a {@link RewiringProvider}), otherwise
     * {@code "custom"} with its class, which only {@code ModelFile.loadInto} restores; then its name, and this
     * layer's seed and counters.
     *
     * @throws IllegalArgumentException when a rule's settings use a key of the layer's own or hold tensors
     */
    Map<String, Object> describe() {
        Map<String, Object> d = new LinkedHashMap<>();
        if (rule instanceof Saveable saveable && !CUSTOM.equals(saveable.kind())) {
            StateWriter settings = new StateWriter();
            saveable.describe(settings);
            if (!settings.tensors().isEmpty() || !settings.parameterNames().isEmpty()) {
                throw new IllegalArgumentException("rewiring rule " + saveable.kind()
                        + " wrote tensors; a rule saves configuration entries only (the layer saves its weights)");
            }
            d.put("rule", saveable.kind());
            for (Map.Entry<String, Object> entry : settings.config().entrySet()) {
                if (LAYER_KEYS.contains(entry.getKey())) {
                    throw new IllegalArgumentException("rewiring rule " + saveable.kind() + " wrote the setting \""
                            + entry.getKey() + "\", which the layer keeps for itself " + LAYER_KEYS
                            + "; rename the setting");
                }
                d.put(entry.getKey(), entry.getValue());
            }
        } else {
            d.put("rule", CUSTOM);
            d.put("class", rule.getClass().getName());
        }
        d.put("name", rule.name());
        d.put("seed", seed);
        d.put("steps", completedSteps);
        d.put("epochs", completedEpochs);
        return d;
    }

    /**
     * A saved rewiring ({@link #describe}), read and checked: the rule rebuilt by its kind's provider (null for a
     * {@code "custom"} rule, whose class is kept for the message), and the layer's counters and seed.
     */
    record Saved(String rule, String name, Rewiring rebuilt, String customClass, long seed, long steps, int epochs) {

        /** The {@code "rewiring"} field of a sparse layer's description, or null when the field is null. */
        static Saved read(Config layer) throws ModelFileException {
            if (layer.value("rewiring") == null) {
                return null;
            }
            Config r = layer.object("rewiring");
            String rule = r.string("rule");
            String name = r.string("name");
            long seed = r.anyLong("seed");
            long steps = r.nonNegativeLong("steps");
            long epochs = r.nonNegativeLong("epochs");
            if (epochs > Integer.MAX_VALUE) {
                throw r.fail("epochs", "must be at most " + Integer.MAX_VALUE + ", got " + epochs);
            }
            if (rule.equals(CUSTOM)) {
                return new Saved(rule, name, null, r.string("class"), seed, steps, (int) epochs);
            }
            RewiringProvider.Kind kind = Providers.rewiring(rule)
                    .orElseThrow(() -> r.fail(
                            "rule",
                            "unknown rewiring rule \"" + Config.shorten(rule) + "\"; the rules on the class path are "
                                    + Providers.rewirings().keySet() + " and " + CUSTOM + ": put the jar that "
                                    + "provides it on the class path"));
            return new Saved(rule, name, kind.read(r), null, seed, steps, (int) epochs);
        }

        /** The rule, rebuilt from its settings. */
        Rewiring rule(StateReader layer) throws ModelFileException {
            if (rebuilt == null) {
                throw layer.fail("its rewiring " + name + " (" + customClass + ") is not one ModelFile can "
                        + "rebuild; build the model in code with that rewiring and use ModelFile.loadInto, or make "
                        + "the rule Saveable with a RewiringProvider (docs/ARCHITECTURE.md)");
            }
            return rebuilt;
        }
    }

    /** A stream that depends only on the seed, the kind of hook and its number (SplitMix64 finaliser). */
    private static SplittableRandom stream(long seed, long kind, long number) {
        long z = seed ^ mix(kind * 0x9E3779B97F4A7C15L + number);
        return new SplittableRandom(mix(z));
    }

    private static long mix(long value) {
        long z = value + 0x9E3779B97F4A7C15L;
        z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
        z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
        return z ^ (z >>> 31);
    }

    /**
     * In the backward pass of the current training step: finds the grow candidates the rule asks
     * for, on the backend, from the step's input and output gradient.
     */
    void onBackward(Backend backend, DenseMatrix dy, DenseMatrix x, SparseMatrix pattern) {
        noteBackward(pattern.connectivity());
        long step = completedSteps + 1;
        int k = rule.gradientCandidates(step, pattern.nnz());
        if (k > 0) {
            candidates = backend.topKAbsDenseGradient(dy, x, pattern, k);
            candidatesStep = step;
        }
    }

    /** {@link #onBackward(Backend, DenseMatrix, DenseMatrix, SparseMatrix)} for a layer of these connections fed a sparse batch. */
    void onBackward(Backend backend, DenseMatrix dy, SparseTensor x, Connectivity connections) {
        noteBackward(connections);
        long step = completedSteps + 1;
        int k = rule.gradientCandidates(step, connections.nnz());
        if (k > 0) {
            candidates = SparseInputGrowth.topKAbsGradient(backend, dy, x, connections, k);
            candidatesStep = step;
        }
    }

    /** Counts a training backward pass; warns once when the after-step hook seems never to be called. */
    private void noteBackward(Connectivity pattern) {
        if (++backwardsSinceStep == BACKWARDS_BEFORE_WARNING && !warned) {
            warned = true;
            LOGGER.log(
                    System.Logger.Level.WARNING,
                    "a SparseLinear layer (" + pattern.rows() + " x " + pattern.columns() + ") with rewiring " + rule
                            + " ran " + BACKWARDS_BEFORE_WARNING + " training backward passes without an "
                            + "optimizer step reaching it: its rewiring is not running. Its optimizer does not "
                            + "report its steps (the built-in ones do; a third party's calls "
                            + "Parameters.afterUpdate(parameters) at the end of step()), or it does not update this "
                            + "layer's weight; call TrainingHooks.afterStep(model) after each optimizer.step()");
        }
    }

    /** The candidates found in this step's backward pass, or null. */
    int[][] candidates() {
        if (candidatesStep != completedSteps + 1 || candidates == null) {
            return null;
        }
        return new int[][] {candidates[0].clone(), candidates[1].clone()};
    }

    /** The optimizer has updated the layer's weight: the step's after-step work. */
    void afterOptimizerStep(RewirableLayer layer) {
        stepReportedByOptimizer = true;
        afterStep(layer);
    }

    /**
     * An explicit {@link TrainingHooks#afterStep(org.sparselinear.api.Layer)}: nothing when the
     * optimizer has reported the step already, the step's after-step work otherwise.
     */
    void afterHookStep(RewirableLayer layer) {
        if (stepReportedByOptimizer) {
            stepReportedByOptimizer = false;
            return;
        }
        afterStep(layer);
    }

    private void afterStep(RewirableLayer layer) {
        backwardsSinceStep = 0;
        if (rule.usesEpochs()) {
            epochWatch.step(() ->
                    "a SparseLinear layer with rewiring " + rule + ", which rewires at the end of " + "each epoch,");
        }
        long step = completedSteps + 1;
        random = stream(seed, STEP_STREAM, step);
        try {
            rule.afterStep(step, layer);
        } finally {
            completedSteps = step;
            candidates = null;
        }
    }

    void afterEpoch(RewirableLayer layer) {
        epochWatch.epochEnded();
        completedEpochs++;
        random = stream(seed, EPOCH_STREAM, completedEpochs);
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
            throw new IllegalArgumentException(String.format(
                    Locale.ROOT,
                    "%s: rewire keeps the shape (%d, %d), got a (%d, %d) pattern",
                    layer,
                    old.rows(),
                    old.columns(),
                    next.rows(),
                    next.columns()));
        }
        int nnz = old.nnz();
        if (next.nnz() != nnz || sourcePositions.length != nnz) {
            throw new IllegalArgumentException(String.format(
                    Locale.ROOT,
                    "%s: rewire keeps the number of connections %d, got %d connections and %d source positions",
                    layer,
                    nnz,
                    next.nnz(),
                    sourcePositions.length));
        }
        for (int r = 0; r < next.rows(); r++) {
            int oldStart = old.rowStart(r);
            int oldEnd = old.rowStart(r + 1);
            for (int j = next.rowStart(r); j < next.rowStart(r + 1); j++) {
                int from = sourcePositions[j];
                if (from == -1) {
                    continue;
                }
                if (from < -1 || from >= nnz) {
                    throw new IllegalArgumentException(String.format(
                            Locale.ROOT,
                            "%s: source position %d is %d, expected -1 (a new connection) or an old position in [0, %d)",
                            layer,
                            j,
                            from,
                            nnz));
                }
                // Kept in its row and column, each source is used once: the columns of a row
                // ascend in both patterns, so the sources of a row ascend too.
                if (from < oldStart || from >= oldEnd || old.column(from) != next.column(j)) {
                    throw new IllegalArgumentException(String.format(
                            Locale.ROOT,
                            "%s: new connection %d at (%d, %d) takes old connection %d at (%d, %d); a kept connection "
                                    + "must stay where it is, and each old connection may be kept once",
                            layer,
                            j,
                            r,
                            next.column(j),
                            from,
                            old.rowOf(from),
                            old.column(from)));
                }
            }
        }
    }
}
