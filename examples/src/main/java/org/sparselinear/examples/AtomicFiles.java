package org.sparselinear.examples;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import org.sparselinear.io.AtomicFile;

/**
 * Writes files so that a reader never sees half of one: a temporary file in the same folder,
 * flushed and fsynced, then a rename (see {@link AtomicFile}).
 */
public final class AtomicFiles {

    private AtomicFiles() {}

    /**
     * Writes {@code text} (UTF-8) to {@code target}, creating its folder if needed: the text
     * goes to a temporary file next to it, which is synced to disk and then renamed over the
     * target (atomically where the file system can).
     */
    public static void writeString(Path target, String text) throws IOException {
        byte[] bytes = text.getBytes(StandardCharsets.UTF_8);
        AtomicFile.write(target, out -> out.write(bytes));
    }
}
