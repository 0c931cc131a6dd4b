package org.sparselinear.topology;

import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeSet;

/**
 * Checks of the named parameters a {@link org.sparselinear.api.TopologyProvider} is given. A
 * numeric parameter may be any {@link Number} or a {@link String} that parses as one (as read
 * from a command line or a configuration file).
 */
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

    /**
     * The parameter {@code name} as a {@code double}, or {@code null} when it is absent.
     *
     * @throws IllegalArgumentException when it is neither a number nor a string that parses as one
     */
    static Double optionalNumber(String topology, Map<String, ?> parameters, String name) {
        Object value = parameters.get(name);
        if (value == null) {
            return null;
        }
        if (value instanceof Number number) {
            return number.doubleValue();
        }
        if (value instanceof String text) {
            try {
                return Double.parseDouble(text.trim());
            } catch (NumberFormatException e) {
                throw notA("a number", topology, name, value);
            }
        }
        throw notA("a number", topology, name, value);
    }

    /**
     * The parameter {@code name} as an {@code int}, or {@code null} when it is absent.
     *
     * @throws IllegalArgumentException when it is not a whole number within the range of {@code int}
     */
    static Integer optionalInteger(String topology, Map<String, ?> parameters, String name) {
        Double value = optionalNumber(topology, parameters, name);
        if (value == null) {
            return null;
        }
        if (value != Math.rint(value) || value < Integer.MIN_VALUE || value > Integer.MAX_VALUE) {
            throw notA("a whole number", topology, name, parameters.get(name));
        }
        return value.intValue();
    }

    private static IllegalArgumentException notA(String expected, String topology, String name, Object value) {
        return new IllegalArgumentException("topology '" + topology + "': parameter '" + name + "' must be " + expected
                + ", got " + value.getClass().getSimpleName() + " " + value);
    }
}
