package org.sparselinear.examples;

import java.net.URISyntaxException;
import java.nio.file.Path;
import java.security.CodeSource;
import java.util.ArrayList;
import java.util.List;

/**
 * Finds the MNIST data folder when {@code --data} is not given, in this order:
 * <ol>
 *   <li>the system property {@value #PROPERTY} (the {@code ./sparselinear} script sets it to the
 *       repository's {@code data} folder);</li>
 *   <li>the environment variable {@value #ENVIRONMENT};</li>
 *   <li>a {@code data} folder holding the MNIST files in the folder of the running jar or one of
 *       its ancestors (the jar is built to {@code <repo>/examples/target/sparselinear.jar});</li>
 *   <li>the same search from the working directory upwards;</li>
 *   <li>otherwise {@code ./data}, which the command then reports as missing.</li>
 * </ol>
 */
public final class DataLocator {

    /** System property naming the data folder. */
    public static final String PROPERTY = "sparselinear.data";

    /** Environment variable naming the data folder. */
    public static final String ENVIRONMENT = "SPARSELINEAR_DATA";

    private static final int LEVELS = 5;

    private DataLocator() {}

    /** {@code explicit} when not null, else the folder found as the class comment describes. */
    public static Path resolve(Path explicit) {
        if (explicit != null) {
            return explicit;
        }
        String property = System.getProperty(PROPERTY);
        if (property != null && !property.isBlank()) {
            return Path.of(property);
        }
        String environment = System.getenv(ENVIRONMENT);
        if (environment != null && !environment.isBlank()) {
            return Path.of(environment);
        }
        for (Path start : startingPoints()) {
            Path found = searchUpwards(start);
            if (found != null) {
                return found;
            }
        }
        return Path.of("data");
    }

    /** The first {@code data} folder holding the MNIST files in {@code start} or its ancestors, or null. */
    static Path searchUpwards(Path start) {
        Path folder = start.toAbsolutePath().normalize();
        for (int level = 0; folder != null && level < LEVELS; level++, folder = folder.getParent()) {
            Path candidate = folder.resolve("data");
            if (MnistData.looksLikeData(candidate)) {
                return candidate;
            }
        }
        return null;
    }

    private static List<Path> startingPoints() {
        List<Path> starts = new ArrayList<>();
        try {
            CodeSource source = DataLocator.class.getProtectionDomain().getCodeSource();
            if (source != null && source.getLocation() != null) {
                Path location = Path.of(source.getLocation().toURI());
                starts.add(location.getParent() != null ? location.getParent() : location);
            }
        } catch (URISyntaxException | IllegalArgumentException | SecurityException e) {
            // Not a file location (a custom class loader): fall back to the working directory.
        }
        starts.add(Path.of(""));
        return starts;
    }
}
