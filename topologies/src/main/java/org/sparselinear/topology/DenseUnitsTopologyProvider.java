package org.sparselinear.topology;

import java.util.Map;
import java.util.Set;
import org.sparselinear.api.Topology;
import org.sparselinear.spi.TopologyParameters;
import org.sparselinear.spi.TopologyProvider;

/**
 * Provides {@link DenseUnitsTopology} under the name {@code "dense-units"}; optional parameter
 * {@value #SHARE}, the share of the connections spent on fully connected outputs, in [0, 1]
 * (default {@value #DEFAULT_SHARE}).
 */
public final class DenseUnitsTopologyProvider implements TopologyProvider {

    /** The parameter naming the share of connections on dense units. */
    public static final String SHARE = "share";

    /** The share when none is given. */
    public static final double DEFAULT_SHARE = 0.5;

    @Override
    public String name() {
        return DenseUnitsTopology.NAME;
    }

    @Override
    public String description() {
        return "random connections with a share of them on the first outputs, each connected to every input; "
                + "optional '" + SHARE + "' in [0, 1] (default " + DEFAULT_SHARE + ")";
    }

    @Override
    public Topology create(Map<String, ?> parameters) {
        double share = TopologyParameters.of(name(), parameters, Set.of(SHARE))
                .number(SHARE, 0, 1)
                .orElse(DEFAULT_SHARE);
        return new DenseUnitsTopology(share);
    }
}
