package org.sparselinear.topology;

import java.util.Map;
import java.util.Set;
import org.sparselinear.api.Topology;
import org.sparselinear.api.TopologyProvider;

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
        ProviderParameters.requireKnown(name(), parameters, Set.of(K, BETA));
        Integer k = ProviderParameters.optionalInteger(name(), parameters, K);
        Double beta = ProviderParameters.optionalNumber(name(), parameters, BETA);
        double rewiring = beta == null ? WattsStrogatzTopology.DEFAULT_BETA : beta;
        return k == null ? WattsStrogatzTopology.fromSparsity(rewiring) : WattsStrogatzTopology.withK(k, rewiring);
    }
}
