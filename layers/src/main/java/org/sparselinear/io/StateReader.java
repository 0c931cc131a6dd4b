package org.sparselinear.io;

import java.util.function.Supplier;

/**
 * What a provider reads a saved layer's or optimizer's state through: its configuration, checked
 * field by field ({@link Config}), and the tensors of {@link LayerReader} or {@link OptimizerReader},
 * each checked (presence, dtype, shape) before it is handed out. Any problem is a
 * {@link ModelFileException} naming the file, the tensor or field and the problem.
 */
public interface StateReader {

    /** The file, as named in messages. */
    String source();

    /** The object, as named in messages, e.g. {@code "layer 2 (SparseLinear)"}. */
    String where();

    /** The configuration the object wrote. */
    Config config();

    /** A problem with the object as a whole (its field in messages is {@link #where()}). */
    ModelFileException fail(String problem);

    /** Turns a constructor's or setter's complaint about the saved settings into a file error naming the object. */
    default ModelFileException rejected(RuntimeException e) {
        return new ModelFileException(source(), where(), "the saved settings are rejected: " + e.getMessage(), e);
    }

    /**
     * Runs {@code constructor} (building the object from its saved settings), turning an
     * {@link IllegalArgumentException} or {@link IllegalStateException} into {@link #rejected}'s file error.
     */
    default <T> T construct(Supplier<T> constructor) throws ModelFileException {
        try {
            return constructor.get();
        } catch (IllegalArgumentException | IllegalStateException e) {
            throw rejected(e);
        }
    }
}
