package org.sparselinear.api;

import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.ServiceConfigurationError;
import java.util.ServiceLoader;

/**
 * Finds the registrations of a service on the class path without letting one broken entry (a
 * misspelt class name, a class that does not link) hide the others: each registration is
 * returned as a {@link ServiceLoader.Provider} to instantiate one at a time.
 */
final class Plugins {

    /** Recovery after a broken entry is best effort; stop after this many. */
    private static final int MAX_FAILURES = 64;

    private Plugins() {}

    /** The registrations of {@code service} that could at least be located. */
    static <S> List<ServiceLoader.Provider<S>> load(Class<S> service) {
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
                System.getLogger(Plugins.class.getName())
                        .log(
                                System.Logger.Level.WARNING,
                                "skipping a broken " + service.getSimpleName() + " registration: " + e.getMessage());
            }
        }
        return found;
    }
}
