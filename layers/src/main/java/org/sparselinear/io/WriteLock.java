package org.sparselinear.io;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.charset.StandardCharsets;
import java.nio.file.AccessDeniedException;
import java.nio.file.DirectoryStream;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The right to write one file: an exclusive lock ({@link FileChannel#tryLock()}) on {@code .NAME.lock}
 * beside it, holding the process id of the writer. A second writer, in this process or another, fails at
 * once with a message naming the file and that process id instead of overwriting the first one's work.
 *
 * <p>{@link AtomicFile#write} takes the lock for the time of one write unless this process holds it
 * already; a program that writes a file several times (a run record, a checkpoint after every epoch)
 * holds it for the whole run by {@link #acquire}, which also checks the destination before any work is
 * done: the target is a regular file or a new path (a symbolic link counts as the file it names), its
 * folder exists or can be created and is writable.
 *
 * <p>Taking the lock removes the temporary files ({@code .NAME.DIGITS.tmp}) that a killed writer of the
 * same target left: every writer holds the lock while its temporary file exists, so the ones found then
 * are stale. Closing the lock deletes the lock file (while still holding it; a writer that locked the
 * deleted file notices and locks the new one).
 *
 * <p>The lock is advisory: it keeps out writers that use it (this library, every version from this one),
 * not other programs. Locks on network file systems are as reliable as the file system makes them.
 */
public final class WriteLock implements AutoCloseable {

    /** Attempts when the lock file is deleted between opening and locking it. */
    private static final int ATTEMPTS = 100;

    /** Locks this process holds, by resolved target. */
    private static final Map<Path, WriteLock> HELD = new ConcurrentHashMap<>();

    private final Path target;
    private final Path lockFile;
    private final FileChannel channel;
    private final FileLock lock;

    private WriteLock(Path target, Path lockFile, FileChannel channel, FileLock lock) {
        this.target = target;
        this.lockFile = lockFile;
        this.channel = channel;
        this.lock = lock;
    }

    /**
     * Locks {@code target} for writing by this process until {@link #close()}, after checking that it
     * can be written: creates its folder if needed and removes stale temporary files of it.
     *
     * @throws IOException with a one-line message naming the file: when it is a folder, device, FIFO or
     *         socket, or its folder cannot be created or written
     * @throws FileBusyException when another writer holds it (the message gives its process id)
     */
    public static WriteLock acquire(Path target) throws IOException {
        Objects.requireNonNull(target, "target");
        Path resolved = WriteTarget.resolve(target);
        Path folder = resolved.getParent();
        try {
            Files.createDirectories(folder);
        } catch (IOException e) {
            throw new IOException(
                    "cannot create the folder " + folder + " for " + target + " (" + reason(e)
                            + "); choose another place",
                    e);
        }
        if (!Files.isWritable(folder)) {
            throw new IOException("cannot write " + target + ": the folder " + folder
                    + " is not writable; choose another place or make it writable");
        }
        Path lockFile = folder.resolve("." + resolved.getFileName() + ".lock");
        synchronized (HELD) {
            if (HELD.containsKey(resolved)) {
                // Checked before opening the lock file: closing a second handle on it would release the lock.
                throw busy(
                        target, lockFile, "process " + ProcessHandle.current().pid() + " (this one)");
            }
            for (int attempt = 0; attempt < ATTEMPTS; attempt++) {
                WriteLock held = tryLock(target, resolved, lockFile);
                if (held != null) {
                    held.removeStaleTemporaryFiles();
                    return held;
                }
            }
        }
        throw new IOException(
                "cannot lock " + target + ": its lock file " + lockFile + " keeps being replaced; try again");
    }

    /** The lock this process holds on the resolved {@code target}, or null. */
    static WriteLock heldHere(Path resolved) {
        return HELD.get(resolved);
    }

    /** The file this lock is for, symbolic links followed. */
    public Path target() {
        return target;
    }

    /**
     * Locks {@code lockFile}, or returns null when the file locked is no longer the one at its path
     * (deleted by the previous holder meanwhile, or just created: try again). Only metadata of the
     * path is read while locking: on POSIX systems closing any other handle on the file would release
     * the lock.
     */
    private static WriteLock tryLock(Path target, Path resolved, Path lockFile) throws IOException {
        Object before = fileKey(lockFile);
        FileChannel channel;
        try {
            channel = FileChannel.open(
                    lockFile, StandardOpenOption.CREATE, StandardOpenOption.WRITE, LinkOption.NOFOLLOW_LINKS);
        } catch (IOException e) {
            throw new IOException(
                    "cannot create the lock file " + lockFile + " for " + target + " (" + reason(e)
                            + "); choose another place or make its folder writable",
                    e);
        }
        boolean kept = false;
        try {
            FileLock lock;
            try {
                lock = channel.tryLock();
            } catch (OverlappingFileLockException e) {
                lock = null;
            }
            if (lock == null) {
                throw busy(target, lockFile);
            }
            Object after = fileKey(lockFile);
            if (after == null ? !Files.exists(lockFile, LinkOption.NOFOLLOW_LINKS) : !after.equals(before)) {
                return null;
            }
            byte[] pid = (ProcessHandle.current().pid() + "\n").getBytes(StandardCharsets.US_ASCII);
            channel.truncate(0);
            channel.write(ByteBuffer.wrap(pid), 0);
            WriteLock held = new WriteLock(resolved, lockFile, channel, lock);
            HELD.put(resolved, held);
            kept = true;
            return held;
        } finally {
            if (!kept) {
                channel.close();
            }
        }
    }

    /** The identity of {@code file} (device and inode on Unix), or null when absent or not told. */
    private static Object fileKey(Path file) {
        try {
            return Files.readAttributes(file, BasicFileAttributes.class, LinkOption.NOFOLLOW_LINKS)
                    .fileKey();
        } catch (IOException e) {
            return null;
        }
    }

    /** The error for a target another process holds, with its process id as its lock file tells. */
    private static FileBusyException busy(Path target, Path lockFile) {
        String pid = readQuietly(lockFile);
        return busy(target, lockFile, pid == null || pid.isBlank() ? "another process" : "process " + pid.strip());
    }

    private static FileBusyException busy(Path target, Path lockFile, String holder) {
        return new FileBusyException(target + " is being written by " + holder + " (lock " + lockFile
                + "); wait until it finishes or write to another file");
    }

    /** Why a file operation failed, in words: the JDK's messages are often just the path. */
    private static String reason(IOException e) {
        if (e instanceof AccessDeniedException) {
            return "permission denied";
        }
        if (e instanceof FileAlreadyExistsException) {
            return "a file is in the way";
        }
        if (e instanceof FileSystemException && ((FileSystemException) e).getReason() != null) {
            return ((FileSystemException) e).getReason();
        }
        return e.getMessage();
    }

    private static String readQuietly(Path file) {
        try {
            return Files.readString(file, StandardCharsets.US_ASCII);
        } catch (IOException e) {
            return null;
        }
    }

    /** Deletes {@code .NAME.DIGITS.tmp} beside the target: left by a writer killed mid-write. */
    private void removeStaleTemporaryFiles() {
        String prefix = "." + target.getFileName() + ".";
        try (DirectoryStream<Path> files =
                Files.newDirectoryStream(target.getParent(), file -> isTemporary(file, prefix))) {
            for (Path file : files) {
                if (Files.isRegularFile(file, LinkOption.NOFOLLOW_LINKS)) {
                    Files.deleteIfExists(file);
                }
            }
        } catch (IOException e) {
            // Leftovers are harmless to readers; failing to remove them must not stop the write.
        }
    }

    /** Whether {@code file} is named {@code PREFIX DIGITS .tmp}, as {@link AtomicFile}'s temporary files are. */
    private static boolean isTemporary(Path file, String prefix) {
        String name = file.getFileName().toString();
        if (!name.startsWith(prefix) || !name.endsWith(".tmp")) {
            return false;
        }
        String middle = name.substring(prefix.length(), name.length() - ".tmp".length());
        return !middle.isEmpty() && middle.chars().allMatch(c -> c >= '0' && c <= '9');
    }

    /** Releases the lock and deletes the lock file. */
    @Override
    public void close() throws IOException {
        synchronized (HELD) {
            if (HELD.remove(target, this)) {
                release();
            }
        }
    }

    private void release() throws IOException {
        try {
            Files.deleteIfExists(lockFile);
        } finally {
            try {
                lock.release();
            } finally {
                channel.close();
            }
        }
    }
}
