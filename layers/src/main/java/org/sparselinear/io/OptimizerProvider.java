package org.sparselinear.io;

import java.io.IOException;

/**
 * The service an optimizer kind registers (in {@code META-INF/services/org.sparselinear.io.OptimizerProvider})
 * so that checkpoints holding its state can be restored: the kind name it answers to and the
 * reading of its saved state. The optimizer itself writes its state as a {@link Saveable}. Found
 * with {@link java.util.ServiceLoader} through {@link Providers}.
 *
 * <p>An implementation is a public class with a public no-argument constructor; it keeps no state.
 */
public interface OptimizerProvider {

    /** The kind name, equal to the {@link Saveable#kind()} of the optimizers it reads. */
    String kind();

    /** Reads and checks the saved state of an optimizer of this kind. */
    SavedOptimizer read(OptimizerReader in) throws IOException;
}
