package org.sparselinear.io;

import java.util.Map;
import org.sparselinear.api.Rewiring;

/**
 * The service through which rewiring rules are found (listed in
 * {@code META-INF/services/org.sparselinear.io.RewiringProvider}), so that a sparse layer saved with its rule is
 * rebuilt with it: each kind name it offers, with the reading of that rule's settings. The rule itself writes its
 * settings as a {@link Saveable} (configuration entries only; the layer adds its seed and counters). Found with
 * {@link java.util.ServiceLoader} through {@link Providers}; RigL and SET register the same way.
 *
 * <p>An implementation is a public class with a public no-argument constructor; it keeps no state.
 */
public interface RewiringProvider {

    /** The kinds offered, by the name their rules' {@link Saveable#kind()} returns. */
    Map<String, Kind> rewiringKinds();

    /** The reading of one rewiring kind. */
    @FunctionalInterface
    interface Kind {

        /**
         * Rebuilds a rule from the settings its {@link Saveable#describe} wrote, each checked ({@link Config}'s
         * getters fail with the file and field named).
         */
        Rewiring read(Config settings) throws ModelFileException;
    }
}
