package org.sparselinear.api;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.ServiceConfigurationError;
import java.util.ServiceLoader;
import org.sparselinear.spi.Availability;
import org.sparselinear.spi.BackendProvider;
import org.sparselinear.spi.ServiceRegistrations;

/**
 * Finds the backends on the class path and selects one.
 *
 * <p>Selection order: the system property {@value #PROPERTY}, then the environment variable
 * {@value #ENVIRONMENT}, then the available provider with the highest
 * {@link BackendProvider#priority() priority}. A name that is unknown or unavailable fails with
 * a {@link BackendException} whose message lists every backend found and why each unavailable
 * one is unavailable. Backends are created once and shared: {@link #get()} and
 * {@link #get(String)} return the same instance on every call.
 */
public final class Backends {

    /** System property that names the backend to use. */
    public static final String PROPERTY = "sparselinear.backend";

    /** Environment variable that names the backend to use when the property is not set. */
    public static final String ENVIRONMENT = "SPARSELINEAR_BACKEND";

    private static final Map<String, Backend> CREATED = new HashMap<>();
    private static List<BackendProvider> providers;

    private Backends() {}

    /** The providers on the class path, highest priority first. */
    public static synchronized List<BackendProvider> providers() {
        if (providers == null) {
            List<BackendProvider> found = new ArrayList<>();
            for (ServiceLoader.Provider<BackendProvider> candidate : ServiceRegistrations.load(BackendProvider.class)) {
                try {
                    found.add(candidate.get());
                } catch (ServiceConfigurationError | LinkageError e) {
                    found.add(new BrokenProvider(candidate.type().getName(), e));
                }
            }
            found.sort(Comparator.comparingInt(BackendProvider::priority).reversed());
            providers = List.copyOf(found);
        }
        return providers;
    }

    /** The backend selected by property, environment or priority; created on first use. */
    public static Backend get() {
        return get(requestedName());
    }

    /**
     * The backend with this name, or the best available one when {@code name} is null or blank.
     *
     * @throws BackendException when no such backend is on the class path or it is unavailable
     */
    public static synchronized Backend get(String name) {
        BackendProvider provider = select(providers(), name);
        Backend backend = CREATED.get(provider.name());
        if (backend == null || backend.isClosed()) {
            try {
                backend = provider.create();
            } catch (RuntimeException | LinkageError e) {
                // A bad setting explains itself; anything else may be a bug and is named with its type.
                String reason = e instanceof IllegalArgumentException ? e.getMessage() : e.toString();
                throw new BackendException(
                        "Backend '" + provider.name() + "' reported itself available but could not be created: "
                                + reason + "\n" + describe(),
                        e);
            }
            CREATED.put(provider.name(), backend);
        }
        return backend;
    }

    /**
     * The name asked for by {@value #PROPERTY} or {@value #ENVIRONMENT}, or null: what {@link #get()} selects by, for
     * a program that reports or overrides the choice (the command line's {@code bench} runs only that backend).
     */
    public static String requestedName() {
        return requestedName(System.getProperty(PROPERTY), System.getenv(ENVIRONMENT));
    }

    /** The property's value when set and not blank, else the environment variable's, else null. */
    static String requestedName(String property, String environment) {
        if (property != null && !property.isBlank()) {
            return property;
        }
        return environment == null || environment.isBlank() ? null : environment;
    }

    /**
     * Picks a provider: the one named {@code requested} (case-insensitive) when not null or
     * blank, else the available one with the highest priority.
     *
     * @param found the providers to choose from, highest priority first
     * @throws BackendException naming every provider found and its availability when none fits
     */
    public static BackendProvider select(List<BackendProvider> found, String requested) {
        if (requested != null && !requested.isBlank()) {
            String wanted = requested.trim();
            for (BackendProvider provider : found) {
                if (provider.name().equalsIgnoreCase(wanted)) {
                    Availability availability = probe(provider);
                    if (!availability.available()) {
                        throw new BackendException("Backend '" + wanted + "' was requested but is unavailable: "
                                + availability.detail() + ".\n" + describe(found)
                                + "Pick an available one with -D" + PROPERTY + "=NAME or " + ENVIRONMENT
                                + ", or unset both to take the best available.");
                    }
                    return provider;
                }
            }
            throw new BackendException("Backend '" + wanted + "' was requested but is not on the class path.\n"
                    + describe(found)
                    + "Add its jar (e.g. sparselinear-backend-" + wanted
                    + ") to the class path, or pick one of the above.");
        }
        for (BackendProvider provider : found) {
            if (probe(provider).available()) {
                return provider;
            }
        }
        throw new BackendException("No available SparseLinear backend.\n" + describe(found)
                + (found.stream().noneMatch(p -> p.name().equals("cpu"))
                        ? "Add sparselinear-backend-cpu to the class path: it runs everywhere."
                        : "Fix the reasons above (e.g. a bad -Dsparselinear.cpu.threads)."));
    }

    /** A table of every backend found: name, priority, availability and device or reason. */
    public static String describe() {
        return describe(providers());
    }

    /** A table of the given providers, as {@link #describe()} prints it. */
    public static String describe(List<BackendProvider> found) {
        StringBuilder table = new StringBuilder();
        table.append(String.format(
                Locale.ROOT, "%-10s %8s  %-11s %s%n", "backend", "priority", "status", "device / reason"));
        if (found.isEmpty()) {
            table.append("(no backend found on the class path)\n");
        }
        for (BackendProvider provider : found) {
            Availability availability = probe(provider);
            table.append(String.format(
                    Locale.ROOT,
                    "%-10s %8d  %-11s %s%n",
                    provider.name(),
                    provider.priority(),
                    availability.available() ? "available" : "unavailable",
                    availability.detail()));
            devices(provider)
                    .lines()
                    .forEach(line -> table.append("           ").append(line).append('\n'));
        }
        return table.toString();
    }

    /** A registered provider that could not be instantiated: listed as unavailable, with the reason. */
    private record BrokenProvider(String className, Throwable failure) implements BackendProvider {

        @Override
        public String name() {
            return className;
        }

        @Override
        public int priority() {
            return Integer.MIN_VALUE;
        }

        @Override
        public Availability availability() {
            return Availability.unavailable("the provider could not be loaded: " + failure);
        }

        @Override
        public Backend create() {
            throw new BackendException("backend provider " + className + " could not be loaded", failure);
        }
    }

    private static String devices(BackendProvider provider) {
        try {
            return provider.devices();
        } catch (RuntimeException | LinkageError e) {
            return "devices could not be listed: " + e;
        }
    }

    private static Availability probe(BackendProvider provider) {
        try {
            return provider.availability();
        } catch (RuntimeException | LinkageError e) {
            return Availability.unavailable("probe failed: " + e);
        }
    }
}
