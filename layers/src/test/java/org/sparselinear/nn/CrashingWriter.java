package org.sparselinear.nn;

import java.io.IOException;
import java.nio.file.Path;
import org.sparselinear.api.Backend;
import org.sparselinear.api.Parameter;
import org.sparselinear.backend.cpu.CpuBackend;
import org.sparselinear.io.AtomicFile;
import org.sparselinear.io.ModelFile;

/**
 * The child process of {@link AtomicSaveCrashTest}: writes a large model file over and over so the
 * test can kill it mid-write. Every version {@code v} has all weights equal to {@code v}.
 *
 * <p>{@code block FILE}: saves version 1, then writes half of version 2 through the same atomic
 * writer, flushes, prints {@code mid-write} and blocks until killed. {@code loop FILE}: saves
 * versions 1, 2, 3, ... printing {@code saving v} before and {@code saved v} after each.
 */
public final class CrashingWriter {

    private CrashingWriter() {}

    /** Weights in the model: 4 M floats, 16 MB. */
    static final int IN = 1024;

    static final int OUT = 4096;

    public static void main(String[] args) throws IOException {
        Backend cpu = new CpuBackend(1);
        Linear model = new Linear(IN, OUT, false, 0, cpu);
        Parameter weight = model.parameters().get(0);
        Path target = Path.of(args[1]);
        if (args[0].equals("block")) {
            cpu.fill(weight.value(), 1f);
            ModelFile.save(model, target);
            System.out.println("saved 1");
            cpu.fill(weight.value(), 2f);
            byte[] bytes = ModelFile.toBytes(model);
            AtomicFile.write(target, out -> {
                out.write(bytes, 0, bytes.length / 2);
                out.flush();
                System.out.println("mid-write");
                System.out.flush();
                while (System.in.read() >= 0) {
                    // Wait to be killed.
                }
                out.write(bytes, bytes.length / 2, bytes.length - bytes.length / 2);
            });
            System.out.println("saved 2");
            return;
        }
        for (int version = 1; ; version++) {
            cpu.fill(weight.value(), version);
            System.out.println("saving " + version);
            System.out.flush();
            ModelFile.save(model, target);
            System.out.println("saved " + version);
            System.out.flush();
        }
    }
}
