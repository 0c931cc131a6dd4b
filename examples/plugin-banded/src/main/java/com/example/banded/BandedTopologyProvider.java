package com.example.banded;

import java.util.Map;
import java.util.OptionalInt;
import java.util.Set;
import org.sparselinear.api.Topology;
import org.sparselinear.spi.TopologyProvider;
import org.sparselinear.spi.TopologyParameters;

/**
 * Provides {@link BandedTopology} under the name {@code "banded"}; optional parameter
 * {@value #WIDTH}: the number of inputs per output (a whole number {@code >= 1}, or a string
 * holding one), default {@code max(1, round((1 - sparsity) * in))}. The parameters are checked
 * with the library's {@link TopologyParameters}, so a mistake reads as it does for the built-in
 * topologies. Registered in {@code META-INF/services/org.sparselinear.spi.TopologyProvider}.
 */
public final class BandedTopologyProvider implements TopologyProvider {

    /** The parameter that fixes the band width. */
    public static final String WIDTH = "width";

    @Override
    public String name() {
        return BandedTopology.NAME;
    }

    @Override
    public String description() {
        return "a band of consecutive inputs around each output's diagonal position; optional '" + WIDTH
                + "' (default from the sparsity)";
    }

    @Override
    public Topology create(Map<String, ?> parameters) {
        OptionalInt width = TopologyParameters.of(name(), parameters, Set.of(WIDTH))
                .wholeNumber(WIDTH, 1, Integer.MAX_VALUE);
        return width.isPresent() ? BandedTopology.ofWidth(width.getAsInt()) : BandedTopology.fromSparsity();
    }
}
