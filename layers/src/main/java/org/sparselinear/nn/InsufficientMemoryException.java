package org.sparselinear.nn;

/**
 * A layer does not fit in the memory available, found by an estimate before anything is
 * allocated; the message gives the bytes needed and available and what to do. An
 * {@link IllegalStateException}, as before this type existed, so existing handlers still catch it.
 */
public class InsufficientMemoryException extends IllegalStateException {

    private static final long serialVersionUID = 1L;

    /** The layer does not fit, for the reason {@code message} gives. */
    public InsufficientMemoryException(String message) {
        super(message);
    }
}
