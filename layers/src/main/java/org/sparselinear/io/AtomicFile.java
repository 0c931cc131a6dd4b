package org.sparselinear.io;

import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.channels.Channels;
import java.nio.channels.FileChannel;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.Objects;

/**
 * Writes a file so that it is either the old file or the complete new one, never half of
 * either, even when the process is killed or the machine loses power mid-write: the content goes
 * to a temporary file in the same folder ({@code .NAME.RANDOM.tmp}), which is flushed and
 * {@code fsync}ed, then renamed over the target (atomically where the file system can), and
 * finally the folder is synced so that the rename itself is durable.
 *
 * <p>A write that fails deletes its temporary file; a process killed mid-write may leave one
 * behind, which readers never look at.
 */
public final class AtomicFile {

    private AtomicFile() {}

    /** What to write: the content, streamed to {@code out} (buffered; do not close it). */
    @FunctionalInterface
    public interface Content {

        /** Writes the whole content to {@code out}. */
        void writeTo(OutputStream out) throws IOException;
    }

    /**
     * Writes {@code content} to {@code target}, creating the folder if needed.
     *
     * @throws IOException when the folder cannot be created, {@code target} is a folder, or
     *         writing fails (the target is then unchanged)
     */
    public static void write(Path target, Content content) throws IOException {
        Objects.requireNonNull(target, "target");
        Objects.requireNonNull(content, "content");
        Path absolute = target.toAbsolutePath().normalize();
        if (Files.isDirectory(absolute)) {
            throw new IOException(absolute + " is a folder; give a file name");
        }
        Path folder = absolute.getParent();
        Files.createDirectories(folder);
        Path temporary = Files.createTempFile(folder, "." + absolute.getFileName() + ".", ".tmp");
        boolean moved = false;
        try {
            try (FileChannel channel = FileChannel.open(
                            temporary, StandardOpenOption.WRITE, StandardOpenOption.TRUNCATE_EXISTING);
                    OutputStream out = new BufferedOutputStream(Channels.newOutputStream(channel), 1 << 16)) {
                content.writeTo(out);
                out.flush();
                channel.force(true);
            }
            try {
                Files.move(temporary, absolute, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            } catch (AtomicMoveNotSupportedException e) {
                Files.move(temporary, absolute, StandardCopyOption.REPLACE_EXISTING);
            }
            moved = true;
            syncFolder(folder);
        } finally {
            if (!moved) {
                Files.deleteIfExists(temporary);
            }
        }
    }

    /** Makes the rename durable where the platform allows syncing a folder (Linux does; others may not). */
    private static void syncFolder(Path folder) {
        try (FileChannel channel = FileChannel.open(folder, StandardOpenOption.READ)) {
            channel.force(true);
        } catch (IOException | UnsupportedOperationException e) {
            // Not every platform can open or sync a folder; the file itself is synced already.
        }
    }
}
