package org.sparselinear.examples;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Bad input gives exit code 2 and one clear line on standard error, never a stack trace. */
class CliValidationTest {

    @TempDir
    Path temp;

    static void assertUsageError(CliHarness.Result result, String... fragments) {
        assertEquals(2, result.exitCode(), () -> "exit code; stderr: " + result.err());
        String err = result.err().strip();
        assertFalse(err.isEmpty(), "an error message");
        assertFalse(err.contains("\n"), () -> "one line, got: " + err);
        assertFalse(err.contains("Exception") || err.contains("\tat "), () -> "no stack trace, got: " + err);
        for (String fragment : fragments) {
            assertTrue(err.contains(fragment), () -> "'" + fragment + "' in: " + err);
        }
        assertEquals("", result.out(), "nothing on standard output");
    }

    @Test
    void unknownModel() {
        assertUsageError(
                CliHarness.run("train", "--model", "conv", "--no-progress"),
                "sparselinear train:",
                "--model",
                "dense, sparse",
                "conv");
    }

    @Test
    void sparsityOutsideZeroToOne() {
        assertUsageError(CliHarness.run("train", "--sparsity", "1.0"), "--sparsity must be in [0, 1), got 1.0");
        assertUsageError(CliHarness.run("train", "--sparsity", "-0.1"), "--sparsity must be in [0, 1), got -0.1");
        assertUsageError(CliHarness.run("train", "--sparsity", "NaN"), "--sparsity must be in [0, 1)");
        assertUsageError(CliHarness.run("train", "--sparsity", "lots"), "--sparsity", "lots");
    }

    @Test
    void epochsMustBePositive() {
        assertUsageError(CliHarness.run("train", "--epochs", "0"), "--epochs must be at least 1, got 0");
        assertUsageError(
                CliHarness.run("demo", "--epochs", "-3"), "sparselinear demo:", "--epochs must be at least 1, got -3");
    }

    @Test
    void otherNumbersAreChecked() {
        assertUsageError(CliHarness.run("train", "--lr", "0"), "--lr must be a positive number");
        assertUsageError(CliHarness.run("train", "--momentum", "1"), "--momentum must be in [0, 1)");
        assertUsageError(CliHarness.run("train", "--batch", "0"), "--batch must be at least 1");
        assertUsageError(CliHarness.run("train", "--limit", "-1"), "--limit");
        assertUsageError(CliHarness.run("regression", "--steps", "0"), "--steps must be at least 1");
    }

    @Test
    void missingDataFolder() {
        Path missing = temp.resolve("no-such-folder");
        assertUsageError(
                CliHarness.run("train", "--data", missing.toString()), "data folder", "does not exist", "--data DIR");
        assertUsageError(CliHarness.run("demo", "--data", temp.toString()), "lacks", "train-images-idx3-ubyte");
    }

    @Test
    void outputThatIsAFolder() {
        assertUsageError(
                CliHarness.run(
                        "train",
                        "--no-progress",
                        "--data",
                        CliHarness.shippedData().toString(),
                        "--out",
                        temp.toString()),
                "--out",
                "is a folder");
    }

    @Test
    void unknownOptionsAndCommands() {
        assertUsageError(CliHarness.run("train", "--bogus"), "Unknown option: '--bogus'");
        assertUsageError(CliHarness.run("frobnicate"), "frobnicate");
        assertUsageError(CliHarness.run(), "missing command");
        assertUsageError(CliHarness.run("--threads", "0", "backends"), "--threads must be at least 1, got 0");
    }

    @Test
    void helpSucceeds() {
        CliHarness.Result result = CliHarness.run("train", "--help");
        assertEquals(0, result.exitCode());
        assertTrue(result.out().contains("--sparsity"), result.out());
        assertTrue(result.out().contains("--backend"), "global options are listed on subcommands too");
        for (String command : SparseLinearCli.commandLine(new SparseLinearCli())
                .getSubcommands()
                .keySet()) {
            CliHarness.Result help = CliHarness.run(command, "--help");
            assertEquals(0, help.exitCode(), command + ": " + help.err());
            assertFalse(help.out().contains("%%"), () -> "format strings are formatted: " + help.out());
        }
        // Help text is wrapped: compare with the line breaks folded into spaces.
        assertTrue(
                CliHarness.run("demo", "--help").out().replaceAll("\\s+", " ").contains("90 % sparsity"));
        assertTrue(CliHarness.run("--help").out().replaceAll("\\s+", " ").contains("dense against 90 % sparse"));
        assertTrue(
                CliHarness.run("bench", "--help").out().replaceAll("\\s+", " ").contains("A 20000x20000 99% b1"));
    }

    /**
     * Picocli formats every help text with {@link String#format}; a lone {@code %} makes that fail,
     * and picocli then prints a warning on standard error with the raw text. The help of every
     * command, run in a fresh JVM, must leave standard error empty.
     */
    @Test
    void helpOfEveryCommandPrintsNoWarning() throws Exception {
        Path java = Path.of(System.getProperty("java.home"), "bin", "java");
        Process process = new ProcessBuilder(
                        java.toString(),
                        "-cp",
                        System.getProperty("java.class.path"),
                        HelpOfEveryCommand.class.getName())
                .redirectOutput(ProcessBuilder.Redirect.DISCARD)
                .start();
        String err = new String(process.getErrorStream().readAllBytes(), StandardCharsets.UTF_8);
        assertEquals(0, process.waitFor(), err);
        // The JVM's own notice of $JAVA_TOOL_OPTIONS, where a machine sets it, is not the CLI's.
        assertEquals(
                "",
                err.lines().filter(line -> !line.startsWith("Picked up ")).reduce("", String::concat),
                "nothing on standard error");
    }
}
