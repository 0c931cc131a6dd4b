package org.sparselinear.examples;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/** {@code backends} lists, for every available backend, the operations it runs on the host. */
class BackendsCommandTest {

    @Test
    void listsTheOperationsEachAvailableBackendRunsOnTheHost() {
        CliHarness.Result result = CliHarness.run("backends");

        assertEquals(0, result.exitCode(), result.err());
        assertTrue(result.out().contains("operations run on the host (no device kernel)"), result.out());
        Matcher cpu = Pattern.compile("(?m)^cpu\\s+(none|[a-zA-Z, ]+)$").matcher(result.out());
        assertTrue(cpu.find(), "no host-operations row for cpu in:\n" + result.out());
        assertEquals("none", cpu.group(1), "the CPU backend has a kernel for every operation");
    }
}
