package org.sparselinear.api;

import java.util.List;
import java.util.Map;
import java.util.ServiceConfigurationError;
import java.util.ServiceLoader;
import java.util.TreeMap;
import java.util.stream.Collectors;
import org.sparselinear.spi.ServiceRegistrations;
import org.sparselinear.spi.TopologyProvider;

/** Finds topologies by name among the {@link TopologyProvider}s on the class path. */
public final class Topologies {

    private static Map<String, TopologyProvider> providers;

    private Topologies() {}

    /** The providers found, by name. */
    public static synchronized Map<String, TopologyProvider> providers() {
        if (providers == null) {
            Map<String, TopologyProvider> found = new TreeMap<>();
            for (ServiceLoader.Provider<TopologyProvider> candidate :
                    ServiceRegistrations.load(TopologyProvider.class)) {
                TopologyProvider provider;
                try {
                    provider = candidate.get();
                } catch (ServiceConfigurationError | LinkageError e) {
                    System.getLogger(Topologies.class.getName())
                            .log(
                                    System.Logger.Level.WARNING,
                                    "skipping topology provider "
                                            + candidate.type().getName() + ": " + e);
                    continue;
                }
                TopologyProvider clash = found.putIfAbsent(provider.name(), provider);
                if (clash != null) {
                    throw new IllegalStateException("two topology providers are named '" + provider.name() + "': "
                            + clash.getClass().getName() + " and "
                            + provider.getClass().getName());
                }
            }
            providers = Map.copyOf(found);
        }
        return providers;
    }

    /** The topology with this name and its default parameters. */
    public static Topology byName(String name) {
        return byName(name, Map.of());
    }

    /**
     * The topology with this name, made with these parameters.
     *
     * @throws IllegalArgumentException when no provider has this name; the message lists those found
     */
    public static Topology byName(String name, Map<String, ?> parameters) {
        TopologyProvider provider = providers().get(name);
        if (provider == null) {
            List<String> known = providers().values().stream()
                    .map(p -> p.name() + " (" + p.description() + ")")
                    .collect(Collectors.toList());
            throw new IllegalArgumentException("unknown topology '" + name + "'; found: " + known
                    + ". Add the jar that provides it (e.g. sparselinear-topologies) to the class path.");
        }
        return provider.create(parameters);
    }
}
