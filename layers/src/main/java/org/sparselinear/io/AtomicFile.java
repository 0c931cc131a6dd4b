package org.sparselinear.io;

import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.channels.Channels;
import java.nio.channels.FileChannel;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermission;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.ThreadLocalRandom;

/**
 * Writes a file so that it is either the old file or the complete new one, never half of
 * either, even when the process is killed or the machine loses power mid-write: the content goes
 * to a temporary file in the same folder ({@code .NAME.DIGITS.tmp}), which is flushed and
 * {@code fsync}ed, then renamed over the target (atomically where the file system can), and
 * finally the folder is synced so that the rename itself is durable.
 *
 * <p>Only regular files and new paths are written: a folder, device, FIFO or socket at the target
 * is an {@link IOException} naming it, and is left untouched. A symbolic link is written through:
 * the file it names is replaced and the link stays a link. An existing file keeps its POSIX
 * permissions; a new one gets the process's default ones (umask).
 *
 * <p>Each write holds the target's {@link WriteLock} (unless this process holds it already), so
 * a second writer fails at once instead of overwriting the first one's file; taking it removes the
 * temporary files a killed writer of the same target left. A write that fails deletes its
 * temporary file.
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
     * @throws IOException when {@code target} is not a regular file or a new path, another writer
     *         holds it, the folder cannot be created, or writing fails (the target is then unchanged)
     */
    public static void write(Path target, Content content) throws IOException {
        Objects.requireNonNull(target, "target");
        Objects.requireNonNull(content, "content");
        Path resolved = WriteTarget.resolve(target);
        if (WriteLock.heldHere(resolved) != null) {
            writeLocked(resolved, content);
            return;
        }
        try (WriteLock lock = WriteLock.acquire(target)) {
            writeLocked(lock.target(), content);
        }
    }

    /** Writes {@code target} (resolved, locked by this process) through a temporary file and a rename. */
    private static void writeLocked(Path target, Content content) throws IOException {
        Path folder = target.getParent();
        Path temporary = createTemporary(target);
        boolean moved = false;
        try {
            try (FileChannel channel = FileChannel.open(temporary, StandardOpenOption.WRITE);
                    OutputStream out = new BufferedOutputStream(Channels.newOutputStream(channel), 1 << 16)) {
                content.writeTo(out);
                out.flush();
                channel.force(true);
            }
            WriteTarget.requireRegularOrNew(target, target);
            keepPermissions(target, temporary);
            try {
                Files.move(temporary, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            } catch (AtomicMoveNotSupportedException e) {
                Files.move(temporary, target, StandardCopyOption.REPLACE_EXISTING);
            }
            moved = true;
            syncFolder(folder);
        } finally {
            if (!moved) {
                Files.deleteIfExists(temporary);
            }
        }
    }

    /** Creates {@code .NAME.DIGITS.tmp} beside {@code target}, a name no other file has. */
    private static Path createTemporary(Path target) throws IOException {
        String prefix = "." + target.getFileName() + ".";
        while (true) {
            Path temporary = target.resolveSibling(
                    prefix + Long.toUnsignedString(ThreadLocalRandom.current().nextLong()) + ".tmp");
            try {
                Files.createFile(temporary);
                return temporary;
            } catch (FileAlreadyExistsException e) {
                // Taken; draw another name.
            }
        }
    }

    /** Gives {@code temporary} the POSIX permissions of an existing {@code target} (0644 stays 0644). */
    private static void keepPermissions(Path target, Path temporary) throws IOException {
        if (!Files.exists(target, LinkOption.NOFOLLOW_LINKS)
                || !target.getFileSystem().supportedFileAttributeViews().contains("posix")) {
            return;
        }
        Set<PosixFilePermission> permissions = Files.getPosixFilePermissions(target, LinkOption.NOFOLLOW_LINKS);
        Files.setPosixFilePermissions(temporary, permissions);
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
