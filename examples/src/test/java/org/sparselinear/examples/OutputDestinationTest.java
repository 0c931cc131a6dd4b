package org.sparselinear.examples;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assumptions.assumeTrue;
import static org.sparselinear.examples.CliValidationTest.assertUsageError;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.function.IntFunction;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.sparselinear.io.WriteLock;

/**
 * Destinations are checked and locked before any work: a device or FIFO is refused untouched, a file
 * another run is writing stops the second run at once with the holder's process id, and default names
 * of runs started in the same second differ. Nothing is printed on standard output, so nothing trained.
 */
class OutputDestinationTest {

    private static final String PID = Long.toString(ProcessHandle.current().pid());

    @TempDir
    Path temp;

    private static CliHarness.Result train(String... options) {
        String[] args = new String[options.length + 4];
        args[0] = "train";
        args[1] = "--no-progress";
        args[2] = "--data";
        args[3] = CliHarness.shippedData().toString();
        System.arraycopy(options, 0, args, 4, options.length);
        return CliHarness.run(args);
    }

    @Test
    void aDeviceAsTheRecordIsRefusedBeforeTraining() {
        assumeTrue(Files.exists(Path.of("/dev/null")), "no /dev/null on this platform");
        assertUsageError(
                train("--out", "/dev/null"),
                "--out: /dev/null is a character device, not a regular file; it is left untouched");
    }

    @Test
    void aFifoAsTheCheckpointIsRefusedBeforeTraining() throws Exception {
        Path fifo = temp.resolve("ckpt");
        Process mkfifo;
        try {
            mkfifo = new ProcessBuilder("mkfifo", fifo.toString()).start();
        } catch (IOException e) {
            assumeTrue(false, "mkfifo is not available here: " + e.getMessage());
            return;
        }
        assumeTrue(mkfifo.waitFor() == 0 && Files.exists(fifo), "mkfifo could not make a FIFO here");
        assertUsageError(
                train("--out", temp.resolve("run.json").toString(), "--save", fifo.toString()),
                "--save: " + fifo + " is a FIFO (named pipe)");
        assertFalse(Files.exists(temp.resolve("run.json")), "no record written");
    }

    @Test
    void aCheckpointAnotherRunWritesStopsTheSecondRunAtOnce() throws IOException {
        Path save = temp.resolve("ckpt.safetensors");
        try (WriteLock first = WriteLock.acquire(save)) {
            assertUsageError(
                    train("--out", temp.resolve("run.json").toString(), "--save", save.toString()),
                    "--save: " + save + " is being written by process " + PID);
        }
        assertFalse(Files.exists(save), "the first run's file is not touched");
    }

    @Test
    void aRecordAnotherRunWritesStopsTheSecondRunAtOnce() throws IOException {
        Path record = temp.resolve("run.json");
        try (WriteLock first = WriteLock.acquire(record)) {
            assertUsageError(
                    train("--out", record.toString()), "--out: " + record + " is being written by process " + PID);
        }
        Path folder = temp.resolve("experiments");
        try (WriteLock first = WriteLock.acquire(folder.resolve("experiments.json"))) {
            assertUsageError(
                    CliHarness.run(
                            "experiments", "--data", CliHarness.shippedData().toString(), "--out", folder.toString()),
                    "--out: " + folder.resolve("experiments.json") + " is being written by process " + PID);
        }
    }

    @Test
    void defaultRecordNamesOfRunsStartedInTheSameSecondDiffer() throws IOException {
        IntFunction<Path> names = n -> temp.resolve(TrainCommand.defaultOutput(ModelKind.sparse, CliHarness.NOW, n));
        Path first = temp.resolve(Path.of("runs", "train-sparse-20260102-030405.json"));
        Path second = temp.resolve(Path.of("runs", "train-sparse-20260102-030405-2.json"));
        try (RunLocks one = new RunLocks();
                RunLocks two = new RunLocks()) {
            assertEquals(first, one.lockNew(names));
            assertEquals(second, two.lockNew(names), "the first name is held by the running first run");
        }
        Files.writeString(first, "{}");
        try (RunLocks three = new RunLocks()) {
            assertEquals(second, three.lockNew(names), "a finished run's record is never overwritten");
        }
        assertEquals(
                Path.of("runs", "experiments-20260102-030405-3"), ExperimentsCommand.defaultOutput(CliHarness.NOW, 3));
    }
}
