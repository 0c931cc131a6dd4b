package org.sparselinear.topology;

import java.util.Map;
import java.util.Set;
import org.sparselinear.api.Topology;
import org.sparselinear.spi.TopologyParameters;
import org.sparselinear.spi.TopologyProvider;

/** Provides {@link RandomTopology} under the name {@code "random"}; takes no parameters. */
public final class RandomTopologyProvider implements TopologyProvider {

    @Override
    public String name() {
        return RandomTopology.NAME;
    }

    @Override
    public String description() {
        return "exactly round((1 - sparsity) * in * out) uniformly random connections; no parameters";
    }

    @Override
    public Topology create(Map<String, ?> parameters) {
        TopologyParameters.of(name(), parameters, Set.of());
        return new RandomTopology();
    }
}
