package org.sparselinear.io;

import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import java.util.ServiceConfigurationError;
import java.util.ServiceLoader;
import java.util.TreeMap;
import java.util.function.Function;
import org.sparselinear.spi.ServiceRegistrations;

/**
 * The registry of layer, optimizer and rewiring kinds: what the {@link LayerProvider}s,
 * {@link OptimizerProvider}s and {@link RewiringProvider}s that {@link ServiceLoader} finds with the
 * thread's context class loader offer, by kind name. The built-in layers, optimizers and rewiring
 * rules register the same way as a third party's; a jar on the class path with a {@code META-INF/services} entry is all it takes.
 */
public final class Providers {

    private static final System.Logger LOGGER = System.getLogger(Providers.class.getName());

    private Providers() {}

    /** The reading of layer kind {@code kind}, if a provider on the class path offers it. */
    public static Optional<LayerProvider.Kind> layer(String kind) {
        return Optional.ofNullable(layers().get(kind));
    }

    /** The reading of optimizer kind {@code kind}, if a provider on the class path offers it. */
    public static Optional<OptimizerProvider.Kind> optimizer(String kind) {
        return Optional.ofNullable(optimizers().get(kind));
    }

    /** The reading of rewiring kind {@code kind}, if a provider on the class path offers it. */
    public static Optional<RewiringProvider.Kind> rewiring(String kind) {
        return Optional.ofNullable(rewirings().get(kind));
    }

    /**
     * Every layer kind on the class path, sorted by name.
     *
     * @throws IllegalStateException when two providers offer one kind
     */
    public static Map<String, LayerProvider.Kind> layers() {
        return byKind(LayerProvider.class, LayerProvider::layerKinds);
    }

    /**
     * Every optimizer kind on the class path, sorted by name.
     *
     * @throws IllegalStateException when two providers offer one kind
     */
    public static Map<String, OptimizerProvider.Kind> optimizers() {
        return byKind(OptimizerProvider.class, OptimizerProvider::optimizerKinds);
    }

    /**
     * Every rewiring kind on the class path, sorted by name.
     *
     * @throws IllegalStateException when two providers offer one kind
     */
    public static Map<String, RewiringProvider.Kind> rewirings() {
        return byKind(RewiringProvider.class, RewiringProvider::rewiringKinds);
    }

    private static <P, K> Map<String, K> byKind(Class<P> service, Function<P, Map<String, K>> kinds) {
        Map<String, K> found = new TreeMap<>();
        Map<String, String> offeredBy = new HashMap<>();
        for (ServiceLoader.Provider<P> registration : ServiceRegistrations.load(service)) {
            Map<String, K> offered;
            try {
                offered = kinds.apply(registration.get());
            } catch (ServiceConfigurationError | LinkageError | RuntimeException e) {
                // One broken plugin jar must not make every file unreadable: its kinds are missing, and said so.
                LOGGER.log(
                        System.Logger.Level.WARNING,
                        "skipping " + service.getSimpleName() + " "
                                + registration.type().getName() + ", which failed to load (its kinds are unavailable): "
                                + e);
                continue;
            }
            for (Map.Entry<String, K> kind : offered.entrySet()) {
                String provider = registration.type().getName();
                String other = offeredBy.putIfAbsent(kind.getKey(), provider);
                if (other != null) {
                    throw new IllegalStateException(
                            service.getSimpleName() + "s " + other + " and " + provider + " both offer kind \""
                                    + kind.getKey() + "\"; remove one of their jars from the class path");
                }
                found.put(kind.getKey(), kind.getValue());
            }
        }
        return found;
    }
}
