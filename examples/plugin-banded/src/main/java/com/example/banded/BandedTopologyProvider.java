package com.example.banded;

import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeSet;
import org.sparselinear.api.Topology;
import org.sparselinear.api.TopologyProvider;

/**
 * Provides {@link BandedTopology} under the name {@code "banded"}; optional parameter
 * {@value #WIDTH}: the number of inputs per output (a whole number, or a string holding one),
 * default {@code max(1, round((1 - sparsity) * in))}. Registered in
 * {@code META-INF/services/org.sparselinear.api.TopologyProvider}.
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
        Objects.requireNonNull(parameters, "parameters");
        Set<String> unknown = new TreeSet<>(parameters.keySet());
        unknown.remove(WIDTH);
        if (!unknown.isEmpty()) {
            throw new IllegalArgumentException("topology 'banded' does not take the parameter(s) " + unknown
                    + "; it accepts [" + WIDTH + "]");
        }
        Object width = parameters.get(WIDTH);
        return width == null ? BandedTopology.fromSparsity() : BandedTopology.ofWidth(wholeNumber(width));
    }

    private static int wholeNumber(Object value) {
        double number = Double.NaN;
        if (value instanceof Number given) {
            number = given.doubleValue();
        } else if (value instanceof String text) {
            number = parseOrNaN(text);
        }
        if (number != Math.rint(number) || Math.abs(number) > Integer.MAX_VALUE) {
            throw new IllegalArgumentException("topology 'banded': parameter '" + WIDTH + "' must be a whole number, "
                    + "got " + value.getClass().getSimpleName() + " " + value);
        }
        return (int) number;
    }

    private static double parseOrNaN(String text) {
        try {
            return Double.parseDouble(text.trim());
        } catch (NumberFormatException e) {
            return Double.NaN;
        }
    }
}
