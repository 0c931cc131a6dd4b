package org.sparselinear.io;

import java.io.IOException;
import java.util.Map;

/**
 * The service through which layer kinds are found (listed in
 * {@code META-INF/services/org.sparselinear.io.LayerProvider}), so that files holding them can be
 * read: each kind name it offers, with the reading of a saved layer of that kind. The layer itself
 * writes its state as a {@link Saveable}. Found with {@link java.util.ServiceLoader} through
 * {@link Providers}, as backends and topologies are; the built-in layers register the same way.
 *
 * <p>An implementation is a public class with a public no-argument constructor; it keeps no state.
 */
public interface LayerProvider {

    /** The kinds offered, by the name their layers' {@link Saveable#kind()} returns. */
    Map<String, Kind> layerKinds();

    /** The reading of one layer kind. */
    @FunctionalInterface
    interface Kind {

        /**
         * Reads and checks a saved layer of this kind: every configuration field and tensor it needs,
         * through {@code reader}, whose getters check presence, type, range and shape; anything else
         * that is wrong is reported with {@link StateReader#fail} or {@link Config#fail}. Tensors left
         * unread are an error of the file.
         */
        SavedLayer read(LayerReader reader) throws IOException;
    }
}
