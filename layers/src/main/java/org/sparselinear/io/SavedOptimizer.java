package org.sparselinear.io;

import java.util.List;
import org.sparselinear.api.Parameter;

/**
 * An optimizer's state read from a checkpoint and checked, held on the host: what an
 * {@link OptimizerProvider} returns.
 */
public interface SavedOptimizer {

    /**
     * Checks that {@code optimizer}, built in code of this kind over the model's parameters in the
     * saved order (the caller has compared the kind and the parameters), can take the saved state
     * (e.g. has momentum buffers exactly when the saved one had), and returns the action that
     * copies it. Nothing changes before the action runs.
     *
     * @throws ModelFileException naming the setting that does not fit
     */
    Runnable prepareRestore(Saveable optimizer) throws ModelFileException;

    /**
     * A new optimizer of this kind over {@code parameters} (the model's, in the saved order) with
     * the saved settings (learning rate, ...) but fresh state; the caller then restores the state
     * with {@link #prepareRestore}.
     *
     * @throws ModelFileException when the file holds no settings to build from (e.g. a checkpoint
     *         written before settings were saved) or they are rejected
     */
    Saveable build(List<Parameter> parameters) throws ModelFileException;
}
