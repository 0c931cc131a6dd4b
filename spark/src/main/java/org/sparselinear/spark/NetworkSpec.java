package org.sparselinear.spark;

import java.io.Serializable;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.function.UnaryOperator;
import org.sparselinear.api.Backend;
import org.sparselinear.api.Layer;
import org.sparselinear.api.Rewiring;
import org.sparselinear.nn.ReLU;
import org.sparselinear.nn.Sequential;
import org.sparselinear.nn.SparseLinear;
import org.sparselinear.nn.sparsity.LayerSparsity;
import org.sparselinear.nn.sparsity.RigL;
import org.sparselinear.nn.sparsity.SET;

/**
 * The network an estimator trains: {@code inputs -> hidden[0] -> ... -> outputs}, every layer a
 * {@link SparseLinear} with a ReLU between layers. The sparsity is spread over the layers uniformly
 * or by the Erdos-Renyi-Kernel rule ({@link LayerSparsity}); every layer's connections and initial
 * values come from {@code seed}, so the driver and every executor build the same network.
 *
 * @param inputs the width of a feature vector
 * @param hidden the widths of the hidden layers, possibly none
 * @param outputs classes (classification) or target width (regression)
 * @param sparsity the fraction of absent connections over the whole model, in [0, 1)
 * @param distribution {@code "uniform"} or {@code "erk"}
 * @param topology a registered topology name, e.g. {@code "random"}
 * @param rewiring {@code "none"}, {@code "set"} or {@code "rigl"}
 * @param plannedSteps the optimizer steps of the whole run (RigL stops rewiring at 75 % of them)
 * @param seed the seed of connections and initial values
 */
public record NetworkSpec(
        int inputs,
        int[] hidden,
        int outputs,
        double sparsity,
        String distribution,
        String topology,
        String rewiring,
        long plannedSteps,
        long seed)
        implements Serializable {

    /** The sparsity distributions {@link #distribution} accepts. */
    public static final List<String> DISTRIBUTIONS = List.of("uniform", "erk");

    /** The rewiring rules {@link #rewiring} accepts. */
    public static final List<String> REWIRINGS = List.of("none", "set", "rigl");

    /** Checks every field; the messages say what is accepted. */
    public NetworkSpec {
        if (inputs < 1 || outputs < 1) {
            throw new IllegalArgumentException(
                    "a network needs at least one input and one output, got " + inputs + " and " + outputs);
        }
        hidden = hidden.clone();
        for (int width : hidden) {
            if (width < 1) {
                throw new IllegalArgumentException(
                        "hidden layer widths must be positive, got " + Arrays.toString(hidden));
            }
        }
        distribution = oneOf("sparsity distribution", distribution, DISTRIBUTIONS);
        rewiring = oneOf("rewiring", rewiring, REWIRINGS);
        if (plannedSteps < 1) {
            throw new IllegalArgumentException("planned steps must be at least 1, got " + plannedSteps);
        }
    }

    /** The same network for a run of {@code steps} optimizer steps (RigL's schedule depends on it). */
    public NetworkSpec withPlannedSteps(long steps) {
        return new NetworkSpec(inputs, hidden, outputs, sparsity, distribution, topology, rewiring, steps, seed);
    }

    @Override
    public int[] hidden() {
        return hidden.clone();
    }

    /** The network on {@code backend}: the same connections and values for the same spec, on every machine. */
    public Sequential build(Backend backend) {
        return build(backend, UnaryOperator.identity());
    }

    /**
     * The network as a partition of {@link ParameterAveraging} trains it: the same, with each
     * layer's rewiring seen through {@link DriverRewired}, which reports grow candidates but never
     * rewires.
     */
    Sequential buildForPartition(Backend backend) {
        return build(backend, DriverRewired::new);
    }

    private Sequential build(Backend backend, UnaryOperator<Rewiring> view) {
        int[][] shapes = shapes();
        double[] sparsities = distribution.equals("erk")
                ? LayerSparsity.erdosRenyiKernel(sparsity, shapes)
                : LayerSparsity.uniform(sparsity, shapes);
        List<Layer> layers = new ArrayList<>();
        for (int l = 0; l < shapes.length; l++) {
            if (l > 0) {
                layers.add(new ReLU());
            }
            SparseLinear.Options options = SparseLinear.options()
                    .sparsity(sparsities[l])
                    .topology(topology)
                    .seed(seed + 1_000_003L * l)
                    .backend(backend);
            Rewiring rule = rule();
            if (rule != null) {
                options.rewiring(view.apply(rule));
            }
            layers.add(new SparseLinear(shapes[l][0], shapes[l][1], options));
        }
        return new Sequential(layers.toArray(Layer[]::new));
    }

    private Rewiring rule() {
        return switch (rewiring) {
            case "set" -> SET.defaults();
            case "rigl" -> RigL.forPlannedSteps(plannedSteps);
            default -> null;
        };
    }

    private int[][] shapes() {
        int[][] shapes = new int[hidden.length + 1][];
        int in = inputs;
        for (int l = 0; l <= hidden.length; l++) {
            int out = l < hidden.length ? hidden[l] : outputs;
            shapes[l] = new int[] {in, out};
            in = out;
        }
        return shapes;
    }

    static String oneOf(String what, String value, List<String> accepted) {
        String normal = value == null ? "" : value.trim().toLowerCase(Locale.ROOT);
        if (!accepted.contains(normal)) {
            throw new IllegalArgumentException(what + " must be one of " + accepted + ", got \"" + value + "\"");
        }
        return normal;
    }

    @Override
    public boolean equals(Object other) {
        return other instanceof NetworkSpec o
                && inputs == o.inputs
                && Arrays.equals(hidden, o.hidden)
                && outputs == o.outputs
                && Double.compare(sparsity, o.sparsity) == 0
                && distribution.equals(o.distribution)
                && topology.equals(o.topology)
                && rewiring.equals(o.rewiring)
                && plannedSteps == o.plannedSteps
                && seed == o.seed;
    }

    @Override
    public int hashCode() {
        return Arrays.hashCode(hidden) * 31 + Long.hashCode(seed) + inputs * 17 + outputs;
    }

    @Override
    public String toString() {
        return String.format(
                Locale.ROOT,
                "NetworkSpec(inputs=%d, hidden=%s, outputs=%d, sparsity=%s %s, topology=%s, rewiring=%s, seed=%d)",
                inputs,
                Arrays.toString(hidden),
                outputs,
                sparsity,
                distribution,
                topology,
                rewiring,
                seed);
    }
}
