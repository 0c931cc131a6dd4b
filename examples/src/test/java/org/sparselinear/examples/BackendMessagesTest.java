package org.sparselinear.examples;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.sparselinear.api.Backends;
import org.sparselinear.backend.cpu.CpuBackend;

/**
 * Backend and thread errors reach the command line as one line with exit code 2, and a bad CPU
 * setting never lets another backend be chosen silently (issue 11, items 5 and 8).
 */
class BackendMessagesTest {

    private String backend;
    private String threads;

    @BeforeEach
    void remember() {
        backend = System.getProperty(Backends.PROPERTY);
        threads = System.getProperty(CpuBackend.THREADS_PROPERTY);
    }

    /** --backend and --threads set properties for the whole JVM; the other tests run on the defaults. */
    @AfterEach
    void restore() {
        restore(Backends.PROPERTY, backend);
        restore(CpuBackend.THREADS_PROPERTY, threads);
    }

    private static void restore(String property, String value) {
        if (value == null) {
            System.clearProperty(property);
        } else {
            System.setProperty(property, value);
        }
    }

    private static String oneLineError(CliHarness.Result result) {
        assertEquals(2, result.exitCode(), result::err);
        String err = result.err().strip();
        assertFalse(err.contains("\n"), () -> "one line, got: " + err);
        assertFalse(err.contains("Exception"), () -> "no exception type, got: " + err);
        return err;
    }

    @Test
    void tooManyThreadsAreRefusedWithTheCap() {
        String err = oneLineError(CliHarness.run("--threads", "100000", "backends"));
        assertTrue(err.contains("--threads must be at most 32767"), err);
        assertTrue(err.contains("cap of the Java thread pool"), err);
    }

    @Test
    void anUnknownBackendIsOneLineThatDoesNotClaimAPropertyOrVariable() {
        String err = oneLineError(CliHarness.run("regression", "--backend", "foo"));
        assertTrue(
                err.startsWith("sparselinear regression: Backend 'foo' was requested but is not on the class path"),
                err);
        assertTrue(err.contains("sparselinear backends"), err);
        assertFalse(err.contains(Backends.PROPERTY) || err.contains(Backends.ENVIRONMENT), err);
    }

    @Test
    void aBadThreadPropertyIsReportedNotReplacedByAnotherBackend() {
        System.clearProperty(Backends.PROPERTY);
        Backends.get("cpu").close(); // the shared backend is created anew, reading the property
        System.setProperty(CpuBackend.THREADS_PROPERTY, "abc");
        String err = oneLineError(CliHarness.run("regression", "--steps", "2"));
        assertTrue(err.contains("Backend 'cpu'"), err);
        assertTrue(err.contains("-D" + CpuBackend.THREADS_PROPERTY + " must be a positive integer, got 'abc'"), err);
    }
}
