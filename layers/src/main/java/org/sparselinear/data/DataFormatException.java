package org.sparselinear.data;

import java.io.IOException;

/**
 * A data file that could be read but whose content is wrong: not the expected format, corrupt,
 * truncated, empty, or disagreeing with the files it is read with. The message names the file and
 * the problem. Distinguishes bad input from a failure to read ({@link IOException}).
 */
public class DataFormatException extends IOException {

    private static final long serialVersionUID = 1L;

    /** A data file whose content is wrong for the reason {@code message} gives. */
    public DataFormatException(String message) {
        super(message);
    }
}
