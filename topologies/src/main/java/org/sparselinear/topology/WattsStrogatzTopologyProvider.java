package org.sparselinear.topology;

import java.util.Map;
import java.util.OptionalInt;
import java.util.Set;
import org.sparselinear.api.Topology;
import org.sparselinear.spi.TopologyParameters;
import org.sparselinear.spi.TopologyProvider;

/**
 * Provides {@link WattsStrogatzTopology} under the name {@code "watts-strogatz"}; optional
 * parameters {@value #K} (connections per output, default {@code max(1, round((1 - sparsity) * in))})
 * and {@value #BETA} (rewiring probability in {@code [0, 1]}, default
 * {@value WattsStrogatzTopology#DEFAULT_BETA}).
 */
public final class WattsStrogatzTopologyProvider implements TopologyProvider {

    /** The parameter that fixes the number of connections per output. */
    public static final String K = "k";
    /** The parameter that sets the rewiring probability. */
    public static final String BETA = "beta";

    @Override
    public String name() {
        return WattsStrogatzTopology.NAME;
    }

    @Override
    public String description() {
        return "ring lattice of the k nearest inputs per output, each connection rewired with probability beta; "
                + "optional '" + K + "' (default from the sparsity) and '" + BETA + "' (default "
                + WattsStrogatzTopology.DEFAULT_BETA + ")";
    }

    @Override
    public Topology create(Map<String, ?> parameters) {
        TopologyParameters checked = TopologyParameters.of(name(), parameters, Set.of(K, BETA));
        OptionalInt k = checked.wholeNumber(K, 1, Integer.MAX_VALUE);
        double beta = checked.number(BETA, 0, 1).orElse(WattsStrogatzTopology.DEFAULT_BETA);
        return k.isPresent()
                ? WattsStrogatzTopology.withK(k.getAsInt(), beta)
                : WattsStrogatzTopology.fromSparsity(beta);
    }
}
