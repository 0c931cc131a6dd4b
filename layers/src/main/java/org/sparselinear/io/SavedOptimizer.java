package org.sparselinear.io;

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
}
