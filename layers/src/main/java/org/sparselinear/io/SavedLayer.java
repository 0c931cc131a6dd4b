package org.sparselinear.io;

import org.sparselinear.api.Backend;
import org.sparselinear.api.Layer;

/**
 * A saved layer read from a file and checked, held on the host: what a {@link LayerProvider}
 * returns. Nothing touches a backend until {@link #build} or the action of
 * {@link #prepareRestore} runs, so a bad file never leaves a model half-loaded.
 */
public interface SavedLayer {

    /** A new layer on {@code backend} with the saved configuration and state. */
    Layer build(Backend backend) throws ModelFileException;

    /**
     * Checks that {@code target}, a layer built in code of this kind (the caller has compared
     * {@link Saveable#kind()}), has the saved structure (sizes, connection count, sub-layers), and
     * returns the action that copies the saved state into it. Nothing changes before the action
     * runs, and the action cannot fail on a checked target; parameters stay the same objects, so
     * optimizers built on them keep working.
     *
     * @throws ModelFileException naming the layer and what does not fit
     */
    Runnable prepareRestore(Layer target) throws ModelFileException;

    /** The layer as its {@code toString()} would read, for {@code ModelFile.inspect}. */
    String description();

    /** The trainable scalars it holds (0 for state that is not trained). */
    long parameterCount();

    /** The fraction of absent connections of its weight, or NaN for a layer without a sparse weight. */
    default double sparsity() {
        return Double.NaN;
    }
}
