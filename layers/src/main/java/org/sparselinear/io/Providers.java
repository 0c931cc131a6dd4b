package org.sparselinear.io;

import java.util.Map;
import java.util.Optional;
import java.util.ServiceLoader;
import java.util.TreeMap;
import java.util.function.Function;

/**
 * The registry of layer and optimizer kinds: the {@link LayerProvider}s and
 * {@link OptimizerProvider}s that {@link ServiceLoader} finds with the thread's context class
 * loader, by kind name. The built-in layers and optimizers register the same way as a third
 * party's; a jar on the class path with a {@code META-INF/services} entry is all it takes.
 */
public final class Providers {

    private Providers() {
    }

    /** The layer provider of {@code kind}, if one is on the class path. */
    public static Optional<LayerProvider> layer(String kind) {
        return Optional.ofNullable(layers().get(kind));
    }

    /** The optimizer provider of {@code kind}, if one is on the class path. */
    public static Optional<OptimizerProvider> optimizer(String kind) {
        return Optional.ofNullable(optimizers().get(kind));
    }

    /**
     * Every layer provider on the class path, by kind, sorted.
     *
     * @throws IllegalStateException when two providers claim one kind
     */
    public static Map<String, LayerProvider> layers() {
        return byKind(LayerProvider.class, LayerProvider::kind);
    }

    /**
     * Every optimizer provider on the class path, by kind, sorted.
     *
     * @throws IllegalStateException when two providers claim one kind
     */
    public static Map<String, OptimizerProvider> optimizers() {
        return byKind(OptimizerProvider.class, OptimizerProvider::kind);
    }

    private static <P> Map<String, P> byKind(Class<P> service, Function<P, String> kind) {
        Map<String, P> found = new TreeMap<>();
        for (P provider : ServiceLoader.load(service)) {
            P other = found.putIfAbsent(kind.apply(provider), provider);
            if (other != null) {
                throw new IllegalStateException(service.getSimpleName() + "s " + other.getClass().getName() + " and "
                        + provider.getClass().getName() + " both register kind \"" + kind.apply(provider)
                        + "\"; remove one of their jars from the class path");
            }
        }
        return found;
    }
}
