package org.sparselinear.spi;

import java.util.Collection;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.OptionalDouble;
import java.util.OptionalInt;
import java.util.Set;
import java.util.TreeSet;

/**
 * The named parameters a {@link org.sparselinear.spi.TopologyProvider} is given, checked the same
 * way for the built-in topologies and for plugins: unknown names, numbers and whole numbers, and
 * ranges, each failing with an {@link IllegalArgumentException} that names the topology, the
 * parameter, what was expected and what was given.
 *
 * <p>A numeric parameter may be any {@link Number} or a {@link String} that parses as one (as read
 * from a command line or a configuration file). A provider's {@code create} typically reads:
 *
 * <pre>{@code
 * TopologyParameters p = TopologyParameters.of("banded", parameters, Set.of("width"));
 * OptionalInt width = p.wholeNumber("width", 1, Integer.MAX_VALUE);
 * return width.isPresent() ? BandedTopology.ofWidth(width.getAsInt()) : BandedTopology.fromSparsity();
 * }</pre>
 */
public final class TopologyParameters {

    private final String topology;
    private final Map<String, ?> values;

    private TopologyParameters(String topology, Map<String, ?> values) {
        this.topology = topology;
        this.values = values;
    }

    /**
     * The parameters of topology {@code topology}, which accepts only the names in {@code accepted}.
     *
     * @param topology the topology's registered name, for the messages
     * @param parameters the parameters as given by the user (not copied; read while creating the topology)
     * @param accepted every parameter name the topology takes
     * @throws IllegalArgumentException naming the unknown parameters and listing the accepted ones
     */
    public static TopologyParameters of(String topology, Map<String, ?> parameters, Collection<String> accepted) {
        Objects.requireNonNull(topology, "topology name");
        Objects.requireNonNull(parameters, "parameters");
        Objects.requireNonNull(accepted, "accepted parameter names");
        Set<String> unknown = new TreeSet<>(parameters.keySet());
        unknown.removeAll(accepted);
        if (!unknown.isEmpty()) {
            throw new IllegalArgumentException("topology '" + topology + "' does not take the parameter(s) " + unknown
                    + "; it accepts " + (accepted.isEmpty() ? "none" : new TreeSet<>(accepted).toString()));
        }
        return new TopologyParameters(topology, parameters);
    }

    /** Whether the parameter {@code name} was given (with a non-null value). */
    public boolean has(String name) {
        return values.get(name) != null;
    }

    /** The parameter {@code name} as given, or {@code null} when it is absent; for values that are not numbers. */
    public Object value(String name) {
        return values.get(name);
    }

    /**
     * The parameter {@code name} as a finite {@code double}, or empty when it is absent.
     *
     * @throws IllegalArgumentException when it is neither a number nor a string that parses as one, or is
     *         infinite or NaN
     */
    public OptionalDouble number(String name) {
        Object value = values.get(name);
        if (value == null) {
            return OptionalDouble.empty();
        }
        double number = Double.NaN;
        if (value instanceof Number given) {
            number = given.doubleValue();
        } else if (value instanceof String text) {
            number = parseOrNaN(text);
        }
        if (!Double.isFinite(number)) {
            throw invalid(name, "a finite number", value);
        }
        return OptionalDouble.of(number);
    }

    /**
     * The parameter {@code name} as a number in {@code [min, max]}, or empty when it is absent.
     *
     * @throws IllegalArgumentException when it is not a finite number or lies outside {@code [min, max]}
     */
    public OptionalDouble number(String name, double min, double max) {
        OptionalDouble number = number(name);
        if (number.isPresent() && !(number.getAsDouble() >= min && number.getAsDouble() <= max)) {
            throw invalid(name, range(min, max, Double.POSITIVE_INFINITY), values.get(name));
        }
        return number;
    }

    /**
     * The parameter {@code name} as a whole number in {@code [min, max]}, or empty when it is absent.
     *
     * @throws IllegalArgumentException when it is not a whole number (as a number or a string) or lies outside
     *         {@code [min, max]}
     */
    public OptionalInt wholeNumber(String name, int min, int max) {
        OptionalDouble number;
        try {
            number = number(name);
        } catch (IllegalArgumentException e) {
            throw invalid(name, "a whole number", values.get(name));
        }
        if (number.isEmpty()) {
            return OptionalInt.empty();
        }
        double value = number.getAsDouble();
        if (value != Math.rint(value)) {
            throw invalid(name, "a whole number", values.get(name));
        }
        if (!(value >= min && value <= max)) {
            throw invalid(name, "a whole number " + range(min, max, Integer.MAX_VALUE), values.get(name));
        }
        return OptionalInt.of((int) value);
    }

    /** {@code ">= min"} when {@code max} is {@code unbounded}, else {@code "in [min, max]"}. */
    private static String range(double min, double max, double unbounded) {
        return max >= unbounded ? ">= " + bound(min) : "in [" + bound(min) + ", " + bound(max) + "]";
    }

    private static String bound(double value) {
        if (value == Math.rint(value) && Math.abs(value) < 1e15) {
            return String.format(Locale.ROOT, "%d", (long) value);
        }
        return Double.toString(value);
    }

    private static double parseOrNaN(String text) {
        try {
            return Double.parseDouble(text.trim());
        } catch (NumberFormatException e) {
            return Double.NaN;
        }
    }

    private IllegalArgumentException invalid(String name, String expected, Object given) {
        return new IllegalArgumentException("topology '" + topology + "': parameter '" + name + "' must be " + expected
                + ", got " + given.getClass().getSimpleName() + " " + given);
    }

    @Override
    public String toString() {
        return "TopologyParameters(" + topology + ", " + values + ")";
    }
}
