package org.sparselinear.nn;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.sparselinear.api.Layer;
import org.sparselinear.backend.cpu.CpuBackend;
import org.sparselinear.io.ModelFile;

/**
 * A writer killed mid-save leaves the previous file intact: a child JVM ({@link CrashingWriter})
 * writes a 16 MB model file, is killed with {@code destroyForcibly} while writing the next one,
 * and the file then still loads, completely, as the last version that finished.
 */
class AtomicSaveCrashTest {

    @TempDir
    Path temp;

    private static Process start(String mode, Path target) throws IOException {
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        ProcessBuilder builder = new ProcessBuilder(
                java,
                "-Xmx768m",
                "-cp",
                System.getProperty("java.class.path"),
                CrashingWriter.class.getName(),
                mode,
                target.toString());
        builder.redirectError(ProcessBuilder.Redirect.DISCARD);
        return builder.start();
    }

    /** Reads the child's lines until one equals {@code wanted}. */
    private static void await(BufferedReader lines, String wanted, Process child) throws IOException {
        for (String line = lines.readLine(); line != null; line = lines.readLine()) {
            if (line.equals(wanted)) {
                return;
            }
        }
        fail("the writer exited (code " + waitFor(child) + ") before printing '" + wanted + "'");
    }

    private static int waitFor(Process child) {
        try {
            return child.waitFor();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return -1;
        }
    }

    /** The single weight value of the saved model, checking that the file loads and every weight agrees. */
    private static float version(Path file) throws IOException {
        Layer loaded = ModelFile.load(file, new CpuBackend(1));
        float[] weights = loaded.parameters().get(0).toArray();
        assertEquals(CrashingWriter.IN * CrashingWriter.OUT, weights.length);
        for (float value : weights) {
            assertEquals(weights[0], value, "every weight comes from the same version");
        }
        return weights[0];
    }

    private List<Path> temporaryFiles() throws IOException {
        try (Stream<Path> files = Files.list(temp)) {
            return files.filter(p -> p.getFileName().toString().endsWith(".tmp"))
                    .toList();
        }
    }

    @Test
    @Timeout(value = 60, unit = TimeUnit.SECONDS)
    void killedInTheMiddleOfAWriteTheOldFileStays() throws IOException {
        Path target = temp.resolve("model.safetensors");
        Process child = start("block", target);
        try (BufferedReader lines =
                new BufferedReader(new InputStreamReader(child.getInputStream(), StandardCharsets.UTF_8))) {
            await(lines, "saved 1", child);
            long complete = Files.size(target);
            await(lines, "mid-write", child);
            List<Path> partial = temporaryFiles();
            assertEquals(1, partial.size(), "the new version is being written to a temporary file");
            assertTrue(Files.size(partial.get(0)) >= complete / 2 - (1 << 16), "half of it is on disk already");
            child.destroyForcibly();
            waitFor(child);
        } finally {
            child.destroyForcibly();
        }
        assertEquals(1f, version(target), "the file is the complete previous version");
    }

    @Test
    @Timeout(value = 60, unit = TimeUnit.SECONDS)
    void killedWhileSavingRepeatedlyTheFileIsAlwaysAWholeVersion() throws IOException {
        Path target = temp.resolve("loop.safetensors");
        Process child = start("loop", target);
        int lastSaved = 2;
        int lastStarted = 3;
        try (BufferedReader lines =
                new BufferedReader(new InputStreamReader(child.getInputStream(), StandardCharsets.UTF_8))) {
            await(lines, "saved 2", child);
            await(lines, "saving 3", child);
            // Kill through the handle, which leaves the pipe open to read what the child printed before it died.
            child.toHandle().destroyForcibly();
            // Whatever the child printed before it died: the versions it finished and the one it began.
            for (String line = lines.readLine(); line != null; line = lines.readLine()) {
                if (line.startsWith("saved ")) {
                    lastSaved = Integer.parseInt(line.substring(6));
                } else if (line.startsWith("saving ")) {
                    lastStarted = Integer.parseInt(line.substring(7));
                }
            }
            waitFor(child);
        } finally {
            child.destroyForcibly();
        }
        float version = version(target);
        assertTrue(
                version == lastSaved || version == lastStarted,
                "the last version finished (" + lastSaved + "), or the one begun (" + lastStarted
                        + ") if its rename happened before the kill: " + version);
    }
}
