package org.sparselinear.topology;

import java.util.Map;
import java.util.OptionalDouble;
import java.util.Set;
import org.sparselinear.api.Topology;
import org.sparselinear.spi.TopologyParameters;
import org.sparselinear.spi.TopologyProvider;

/**
 * Provides {@link SmallWorldTopology} under the name {@code "small-world"}; optional parameter
 * {@value #LAMBDA}: a fixed decay exponent {@code >= 0} instead of the one solved from the sparsity.
 */
public final class SmallWorldTopologyProvider implements TopologyProvider {

    /** The parameter that fixes the decay exponent. */
    public static final String LAMBDA = "lambda";

    @Override
    public String name() {
        return SmallWorldTopology.NAME;
    }

    @Override
    public String description() {
        return "the reference package's small-world rule: pair (o, i) at distance d on a line connected with "
                + "probability (d + 1)^-lambda, lambda solved from the sparsity; optional '" + LAMBDA
                + "' (>= 0) fixes it";
    }

    @Override
    public Topology create(Map<String, ?> parameters) {
        OptionalDouble lambda =
                TopologyParameters.of(name(), parameters, Set.of(LAMBDA)).number(LAMBDA, 0, Double.POSITIVE_INFINITY);
        return lambda.isPresent()
                ? SmallWorldTopology.withLambda(lambda.getAsDouble())
                : SmallWorldTopology.solvingLambda();
    }
}
