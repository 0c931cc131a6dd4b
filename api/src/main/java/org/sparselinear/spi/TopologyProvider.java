package org.sparselinear.spi;

import java.util.Map;
import org.sparselinear.api.Topology;

/**
 * Makes a {@link Topology} from named parameters; found with {@link java.util.ServiceLoader}
 * (register in {@code META-INF/services/org.sparselinear.spi.TopologyProvider}), so a plugin jar
 * adds a topology that users pick by name.
 */
public interface TopologyProvider {

    /** The name users pick it by, e.g. {@code "small-world"}. */
    String name();

    /** One line on what it builds and which parameters it takes. */
    String description();

    /**
     * The topology for these parameters; unknown parameter names or bad values are an
     * {@link IllegalArgumentException} that lists the accepted ones. Check them with
     * {@link org.sparselinear.spi.TopologyParameters}, as the built-in providers do, so that a
     * mistake reads the same for every topology.
     */
    Topology create(Map<String, ?> parameters);
}
