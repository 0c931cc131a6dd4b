package org.sparselinear.examples;

/** Training cannot go on (the loss became NaN or infinite): reported as one line, exit code 1. */
public class TrainingException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    /** Training stopped for the reason {@code message} gives. */
    public TrainingException(String message) {
        super(message);
    }

    /** Training stopped for the reason {@code message} gives, found as {@code cause}. */
    public TrainingException(String message, Throwable cause) {
        super(message, cause);
    }
}
