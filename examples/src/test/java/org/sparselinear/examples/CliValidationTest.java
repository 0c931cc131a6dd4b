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
        assertUsageError(CliHarness.run("regression", "--steps", "0"), "--steps must be at least 2");
        assertUsageError(CliHarness.run("regression", "--steps", "1"), "--steps must be at least 2", "got 1");
        assertUsageError(CliHarness.run("train", "--lr", "1e308"), "--lr must be a positive number that fits a float");
        assertUsageError(CliHarness.run("regression", "--lr-dense", "1e-50"), "--lr-dense", "got 1.0E-50");
    }

    @Test
    void layerSettingsAreCheckedBeforeAllocating() {
        assertUsageError(
                CliHarness.run("scale", "--in", "100000000", "--out", "100000000", "--sparsity", "0.5"),
                "sparselinear scale:",
                "makes 5,000,000,000,000,000 connections, more than the 2,147,483,639 one layer can index with int32");
        assertUsageError(CliHarness.run("scale", "--topology", "foo"), "unknown topology 'foo'", "random");
    }

    @Test
    void aModelLargerThanTheHeapIsBadInput() {
        // 784 x 2,700,000 dense weights: 8.5 GB drawn on the heap before upload, 25 GB in all on the CPU.
        org.junit.jupiter.api.Assumptions.assumeTrue(
                Runtime.getRuntime().maxMemory() < 25_000_000_000L, "the heap holds the layer; nothing to check");
        assertUsageError(
                CliHarness.run(
                        "train",
                        "--no-progress",
                        "--model",
                        "dense",
                        "--hidden",
                        "2700000",
                        "--data",
                        CliHarness.shippedData().toString()),
                "Linear(784, 2700000) with 2,116,800,000 weights needs about",
                "-Xmx");
    }

    @Test
    void missingDataFolder() {
        Path missing = temp.resolve("no-such-folder");
        assertUsageError(
                CliHarness.run("train", "--data", missing.toString()), "data folder", "does not exist", "--data DIR");
        assertUsageError(CliHarness.run("demo", "--data", temp.toString()), "lacks", "train-images-idx3-ubyte");
    }

    @Test
    void dataThatIsNoFolderSaysWhatItIs() throws java.io.IOException {
        Path file = java.nio.file.Files.writeString(temp.resolve("images.txt"), "not a folder");
        assertUsageError(CliHarness.run("demo", "--data", file.toString()), "is a file, not a folder", "--data DIR");
        // train also reads data files, and says it cannot tell this one's format
        assertUsageError(
                CliHarness.run("train", "--data", file.toString()), "cannot tell the format", "name the format");
        Path loop = temp.resolve("loop");
        java.nio.file.Files.createSymbolicLink(loop, loop);
        assertUsageError(
                CliHarness.run("train", "--data", loop.toString()),
                "is a symbolic link that leads to no folder (a loop of links or a missing target)");
        Path device = Path.of("/dev/null");
        org.junit.jupiter.api.Assumptions.assumeTrue(java.nio.file.Files.exists(device), "no /dev/null here");
        assertUsageError(
                CliHarness.run("train", "--data", device.toString()), "is not a folder but a special file (a device");
    }

    @Test
    void anUnreadableDataFolderIsNamedSo() throws java.io.IOException {
        Path folder = java.nio.file.Files.createDirectories(temp.resolve("locked"));
        java.nio.file.Files.setPosixFilePermissions(folder, java.util.Set.of());
        try {
            org.junit.jupiter.api.Assumptions.assumeFalse(
                    java.nio.file.Files.isReadable(folder), "running as root: permissions are not enforced");
            assertUsageError(CliHarness.run("train", "--data", folder.toString()), "cannot be read (no permission");
        } finally {
            java.nio.file.Files.setPosixFilePermissions(
                    folder, java.nio.file.attribute.PosixFilePermissions.fromString("rwx------"));
        }
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
