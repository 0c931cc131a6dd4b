package org.sparselinear.api;

/** A backend could not be found, selected, created, or failed while running an operation. */
public class BackendException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    /** An error with its explanation. */
    public BackendException(String message) {
        super(message);
    }

    /** An error with its explanation and the failure that caused it. */
    public BackendException(String message, Throwable cause) {
        super(message, cause);
    }
}
