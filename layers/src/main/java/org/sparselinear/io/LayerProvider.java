package org.sparselinear.io;

import java.io.IOException;

/**
 * The service a layer kind registers (in {@code META-INF/services/org.sparselinear.io.LayerProvider})
 * so that files holding it can be read: the kind name it answers to and the reading of a saved
 * layer of that kind. The layer itself writes its state as a {@link Saveable}. Found with
 * {@link java.util.ServiceLoader} through {@link Providers}, as backends and topologies are.
 *
 * <p>An implementation is a public class with a public no-argument constructor; it keeps no state.
 */
public interface LayerProvider {

    /** The kind name, equal to the {@link Saveable#kind()} of the layers it reads. */
    String kind();

    /**
     * Reads and checks a saved layer of this kind: every configuration field and tensor it needs,
     * through {@code in}, whose getters check presence, type, range and shape; anything else that
     * is wrong is reported with {@link StateReader#fail} or {@link Config#fail}. Tensors left unread
     * are an error of the file.
     */
    SavedLayer read(LayerReader in) throws IOException;
}
