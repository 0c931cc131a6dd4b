package org.sparselinear.topology;

import java.util.Map;
import java.util.Set;
import org.sparselinear.api.Topology;
import org.sparselinear.spi.TopologyParameters;
import org.sparselinear.spi.TopologyProvider;

/**
 * Provides {@link UserTopology} under the name {@code "user"}; parameter {@value #INDICES}: the
 * {@code (2, nnz)} row (output) and column (input) indices, as {@code int[][]} or {@code long[][]}.
 */
public final class UserTopologyProvider implements TopologyProvider {

    /** The parameter that holds the {@code (2, nnz)} indices. */
    public static final String INDICES = "indices";

    @Override
    public String name() {
        return UserTopology.NAME;
    }

    @Override
    public String description() {
        return "the connections given; parameter '" + INDICES + "': (2, nnz) int[][] or long[][] of row (output) "
                + "and column (input) indices";
    }

    @Override
    public Topology create(Map<String, ?> parameters) {
        Object indices =
                TopologyParameters.of(name(), parameters, Set.of(INDICES)).value(INDICES);
        if (indices instanceof int[][] ints) {
            return UserTopology.of(ints);
        }
        if (indices instanceof long[][] longs) {
            return UserTopology.of(longs);
        }
        throw new IllegalArgumentException("topology 'user' needs the parameter '" + INDICES
                + "': a (2, nnz) int[][] or long[][] of row (output) and column (input) indices; got "
                + (indices == null ? "none" : indices.getClass().getSimpleName()));
    }
}
