package org.sparselinear.io;

import java.io.IOException;
import java.util.Map;

/**
 * The service through which optimizer kinds are found (listed in
 * {@code META-INF/services/org.sparselinear.io.OptimizerProvider}), so that checkpoints holding
 * their state can be restored: each kind name it offers, with the reading of that kind's saved
 * state. The optimizer itself writes its state as a {@link Saveable}. Found with
 * {@link java.util.ServiceLoader} through {@link Providers}.
 *
 * <p>An implementation is a public class with a public no-argument constructor; it keeps no state.
 */
public interface OptimizerProvider {

    /** The kinds offered, by the name their optimizers' {@link Saveable#kind()} returns. */
    Map<String, Kind> optimizerKinds();

    /** The reading of one optimizer kind. */
    @FunctionalInterface
    interface Kind {

        /** Reads and checks the saved state of an optimizer of this kind. */
        SavedOptimizer read(OptimizerReader reader) throws IOException;
    }
}
