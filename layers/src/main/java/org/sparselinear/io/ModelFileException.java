package org.sparselinear.io;

import java.io.IOException;
import java.util.Objects;

/**
 * A model or checkpoint file that cannot be trusted or does not fit: truncated, corrupt, not a
 * safetensors file, or describing a model other than the one it is loaded into. The message
 * names the file, the field or tensor at fault ({@link #field()}) and the problem, e.g.
 * {@code "model.safetensors: tensor '1.indices': connection 7 (row 2, column 9) ..."}.
 *
 * <p>Reading a file checks everything before using it, so this is the only exception a bad file
 * causes: never an {@link ArrayIndexOutOfBoundsException}, an {@link OutOfMemoryError} from a
 * huge claimed size, or a hang.
 */
public class ModelFileException extends IOException {

    private static final long serialVersionUID = 1L;

    private final String source;
    private final String field;

    /**
     * A problem with {@code field} of the file {@code source}.
     *
     * @param source the file (its path, or a name for bytes in memory)
     * @param field what is at fault: {@code "header"}, {@code "__metadata__"}, {@code "tensor '1.indices'"},
     *        {@code "layer 1 (SparseLinear)"}, ...
     * @param problem what is wrong and, where it helps, what to do
     */
    public ModelFileException(String source, String field, String problem) {
        this(source, field, problem, null);
    }

    /** As {@link #ModelFileException(String, String, String)}, with the exception that revealed the problem. */
    public ModelFileException(String source, String field, String problem, Throwable cause) {
        super(
                Objects.requireNonNull(source, "source") + ": " + Objects.requireNonNull(field, "field") + ": "
                        + Objects.requireNonNull(problem, "problem"),
                cause);
        this.source = source;
        this.field = field;
    }

    /** The file, or the name given to bytes read from memory. */
    public String source() {
        return source;
    }

    /** The field or tensor at fault, as it appears in the message. */
    public String field() {
        return field;
    }
}
