package org.sparselinear.topology;

import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeSet;

/** Checks of the named parameters a {@link org.sparselinear.api.TopologyProvider} is given. */
final class ProviderParameters {

    private ProviderParameters() {
    }

    /**
     * Requires every name in {@code parameters} to be one of {@code accepted}.
     *
     * @throws IllegalArgumentException naming the unknown parameters and listing the accepted ones
     */
    static void requireKnown(String topology, Map<String, ?> parameters, Set<String> accepted) {
        Objects.requireNonNull(parameters, "parameters");
        Set<String> unknown = new TreeSet<>(parameters.keySet());
        unknown.removeAll(accepted);
        if (!unknown.isEmpty()) {
            throw new IllegalArgumentException("topology '" + topology + "' does not take the parameter(s) " + unknown
                    + "; it accepts " + (accepted.isEmpty() ? "none" : new TreeSet<>(accepted).toString()));
        }
    }
}
