package org.sparselinear.examples;

import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Map;
import org.sparselinear.io.JsonCodec;
import picocli.CommandLine;

/** Runs the CLI in-process with captured output and a fake clock (tests never read the real one). */
final class CliHarness {

    /** The instant the fake clock always reports. */
    static final Instant NOW = Instant.parse("2026-01-02T03:04:05Z");

    /** What one run produced. */
    record Result(int exitCode, String out, String err) {}

    /** A clock that advances by exactly 1 ms per reading. */
    static TimeSource fakeTime() {
        return new TimeSource() {
            private long nanos;

            @Override
            public long monotonicNanos() {
                nanos += 1_000_000;
                return nanos;
            }

            @Override
            public Instant now() {
                return NOW;
            }
        };
    }

    static Result run(String... args) {
        PrintStream discard = new PrintStream(OutputStream.nullOutputStream());
        CommandLine commandLine = SparseLinearCli.commandLine(new SparseLinearCli(fakeTime(), discard));
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        commandLine.setOut(new PrintWriter(out, true));
        commandLine.setErr(new PrintWriter(err, true));
        int code = commandLine.execute(args);
        return new Result(code, out.toString(), err.toString());
    }

    /**
     * The JSON object a command wrote to {@code file}, parsed by the library's strict codec (so
     * the parse also proves the file is valid JSON).
     */
    static Map<?, ?> readRecord(Path file) throws IOException {
        try {
            if (JsonCodec.parse(Files.readString(file)) instanceof Map<?, ?> record) {
                return record;
            }
            throw new AssertionError(file + " holds JSON but not an object");
        } catch (JsonCodec.SyntaxException e) {
            throw new AssertionError(file + " is not valid JSON: " + e.getMessage(), e);
        }
    }

    /** The repository's shipped MNIST subset (tests run in the module folder). */
    static Path shippedData() {
        Path found = DataLocator.searchUpwards(Path.of(""));
        if (found == null) {
            throw new IllegalStateException("the shipped data folder <repo>/data was not found above "
                    + Path.of("").toAbsolutePath());
        }
        return found;
    }

    private CliHarness() {}
}
