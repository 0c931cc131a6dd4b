package org.sparselinear.examples;

/**
 * Bad input found while a command runs (a data folder without the expected files, an option
 * combination that makes no sense): reported as one line, exit code 2.
 */
public class UsageException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    public UsageException(String message) {
        super(message);
    }
}
