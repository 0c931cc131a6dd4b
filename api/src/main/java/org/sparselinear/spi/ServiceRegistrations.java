package org.sparselinear.spi;

import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.ServiceConfigurationError;
import java.util.ServiceLoader;

/**
 * Finds the registrations of a service on the class path without letting one broken entry (a
 * misspelt class name, a class that does not link) hide the others: each registration is
 * returned as a {@link ServiceLoader.Provider} to instantiate one at a time. What every registry of the library
 * (backends, topologies, layer, optimizer and rewiring kinds) loads its plugins with; public for a third party that
 * hosts plugins of its own the same way.
 */
public final class ServiceRegistrations {

    /** Recovery after a broken entry is best effort; stop after this many. */
    private static final int MAX_FAILURES = 64;

    private ServiceRegistrations() {}

    /**
     * The registrations of {@code service} that could at least be located, with the thread's context class loader;
     * a broken one is skipped with a warning on the {@link System.Logger} named after this class.
     */
    public static <S> List<ServiceLoader.Provider<S>> load(Class<S> service) {
        List<ServiceLoader.Provider<S>> found = new ArrayList<>();
        Iterator<ServiceLoader.Provider<S>> registrations =
                ServiceLoader.load(service).stream().iterator();
        for (int failures = 0; failures < MAX_FAILURES; ) {
            try {
                if (!registrations.hasNext()) {
                    return found;
                }
                found.add(registrations.next());
            } catch (ServiceConfigurationError e) {
                // A registration that names a missing class: skip it; the others still load.
                failures++;
                System.getLogger(ServiceRegistrations.class.getName())
                        .log(
                                System.Logger.Level.WARNING,
                                "skipping a broken " + service.getSimpleName() + " registration: " + e.getMessage());
            }
        }
        return found;
    }
}
