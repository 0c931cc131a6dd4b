package org.sparselinear.examples;

import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.SplittableRandom;
import java.util.stream.Collectors;
import org.sparselinear.api.Backend;
import org.sparselinear.api.Layer;
import org.sparselinear.nn.Flatten;
import org.sparselinear.nn.Init;
import org.sparselinear.nn.KWinners;
import org.sparselinear.nn.LayerNorm;
import org.sparselinear.nn.Linear;
import org.sparselinear.nn.ReLU;
import org.sparselinear.nn.Sequential;
import org.sparselinear.nn.SparseLinear;
import org.sparselinear.nn.sparsity.RigL;
import org.sparselinear.nn.sparsity.SET;

/**
 * The models of the reference notebook's experiments, all on the notebook's network (Flatten,
 * a layer {@code inputs -> hidden}, LayerNorm, ReLU or K-Winners, a layer {@code hidden -> classes})
 * and trained with SGD, momentum 0.9. The learning rates are the notebook's (dense 0.01 as in
 * {@code demo}, sparse 0.1, dense with K-Winners 0.005, sparse with K-Winners 0.05); RigL and SET
 * use the static sparse model's 0.1, so that rewiring is the only difference from it (the
 * notebook's 0.005 for its dynamic model belongs to the reference package's implementation).
 */
enum Experiment {

    /** Linear layers: the baseline. */
    DENSE("dense", "dense Linear layers", 0.01),

    /** SparseLinear with random connections at the target sparsity. */
    SPARSE("sparse", "SparseLinear, random connections", 0.1),

    /** SparseLinear whose first layer connects each input to a fixed number of random outputs. */
    USER("user", "SparseLinear, user-defined connections (each input to C random outputs)", 0.1),

    /** Random connections rewired with RigL (Evci et al. 2020). */
    RIGL("rigl", "SparseLinear, random connections rewired by RigL", 0.1),

    /** Random connections rewired with SET (Mocanu et al. 2018). */
    SET_REWIRING("set", "SparseLinear, random connections rewired by SET", 0.1),

    /** Small-world connections. */
    SMALL_WORLD("small-world", "SparseLinear, small-world connections", 0.1),

    /** Dense layers with K-Winners in place of ReLU. */
    DENSE_KWINNERS("dense-kwinners", "dense Linear layers, K-Winners activation", 0.005),

    /** Sparse layers with K-Winners in place of ReLU. */
    SPARSE_KWINNERS("sparse-kwinners", "SparseLinear (random), K-Winners activation", 0.05);

    private final String label;
    private final String description;
    private final double learningRate;

    Experiment(String label, String description, double learningRate) {
        this.label = label;
        this.description = description;
        this.learningRate = learningRate;
    }

    /** The name on the command line and in records. */
    String label() {
        return label;
    }

    String description() {
        return description;
    }

    double learningRate() {
        return learningRate;
    }

    /** Whether its layers are sparse. */
    boolean sparse() {
        return this != DENSE && this != DENSE_KWINNERS;
    }

    /** The experiments named in a comma-separated list ("all" for every one), in catalogue order. */
    static List<Experiment> parse(String list) {
        if (list == null || list.isBlank() || list.trim().equals("all")) {
            return List.of(values());
        }
        List<String> names = Arrays.stream(list.split(","))
                .map(String::trim)
                .filter(s -> !s.isEmpty())
                .toList();
        for (String name : names) {
            if (Arrays.stream(values()).noneMatch(e -> e.label.equals(name))) {
                throw new UsageException(
                        "unknown model '" + name + "' in --models; choose from " + labels() + " or all");
            }
        }
        return Arrays.stream(values()).filter(e -> names.contains(e.label)).toList();
    }

    static String labels() {
        return Arrays.stream(values()).map(Experiment::label).collect(Collectors.joining(", "));
    }

    /** What a model is built from. */
    record Settings(
            int inputs,
            int hidden,
            int classes,
            double[] layerSparsities,
            int connectionsPerInput,
            double kWinnersDensity,
            long plannedSteps,
            int rigLDeltaT,
            double rigLAlpha,
            double setZeta,
            long seed,
            Backend backend) {}

    /** Builds the model, seeding the global sequence with the run's seed first so every model starts alike. */
    Layer build(Settings s) {
        Init.manualSeed(s.seed());
        int hidden = s.hidden();
        if (this == DENSE || this == DENSE_KWINNERS) {
            Layer activation = this == DENSE
                    ? new ReLU()
                    : new KWinners(
                            hidden, s.kWinnersDensity(), KWinners.options().backend(s.backend()));
            return new Sequential(
                    new Flatten(),
                    new Linear(s.inputs(), hidden),
                    new LayerNorm(hidden),
                    activation,
                    new Linear(hidden, s.classes()));
        }
        SparseLinear.Options first =
                SparseLinear.options().sparsity(s.layerSparsities()[0]).backend(s.backend());
        SparseLinear.Options second =
                SparseLinear.options().sparsity(s.layerSparsities()[1]).backend(s.backend());
        switch (this) {
            case USER ->
                first = SparseLinear.options().connectivity(userConnections(s)).backend(s.backend());
            case RIGL -> {
                RigL rigl = RigL.forPlannedSteps(s.plannedSteps())
                        .withDeltaT(s.rigLDeltaT())
                        .withAlpha(s.rigLAlpha());
                first.rewiring(rigl);
                second.rewiring(rigl);
            }
            case SET_REWIRING -> {
                first.rewiring(SET.withZeta(s.setZeta()));
                second.rewiring(SET.withZeta(s.setZeta()));
            }
            case SMALL_WORLD -> {
                first.topology("small-world");
                second.topology("small-world");
            }
            default -> {}
        }
        Layer activation = this == SPARSE_KWINNERS
                ? new KWinners(hidden, s.kWinnersDensity(), KWinners.options().backend(s.backend()))
                : new ReLU();
        return new Sequential(
                new Flatten(),
                new SparseLinear(s.inputs(), hidden, first),
                new LayerNorm(hidden),
                activation,
                new SparseLinear(hidden, s.classes(), second));
    }

    /**
     * The notebook's user-defined connections: each input connected to {@code C} outputs drawn at
     * random. The notebook draws them with replacement and lets duplicates merge; here each input's
     * outputs are distinct (Floyd's sampling), so every input has exactly {@code C} connections.
     */
    static int[][] userConnections(Settings s) {
        int perInput = Math.min(s.connectionsPerInput(), s.hidden());
        SplittableRandom random = new SplittableRandom(s.seed() ^ 0x5DEECE66DL);
        int[] rows = new int[s.inputs() * perInput];
        int[] columns = new int[rows.length];
        boolean[] taken = new boolean[s.hidden()];
        int n = 0;
        for (int input = 0; input < s.inputs(); input++) {
            int start = n;
            for (int j = s.hidden() - perInput; j < s.hidden(); j++) {
                int pick = random.nextInt(j + 1);
                if (taken[pick]) {
                    pick = j;
                }
                taken[pick] = true;
                rows[n] = pick;
                columns[n++] = input;
            }
            for (int k = start; k < n; k++) {
                taken[rows[k]] = false;
            }
        }
        return new int[][] {rows, columns};
    }

    @Override
    public String toString() {
        return label.toLowerCase(Locale.ROOT);
    }
}
