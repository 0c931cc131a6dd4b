package org.sparselinear.examples;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.function.IntFunction;
import org.sparselinear.io.FileBusyException;
import org.sparselinear.io.WriteLock;

/**
 * The files a run writes, checked and locked before the work starts ({@link WriteLock}): a destination
 * that cannot be written, or that another run is writing, is bad input (exit 2) found at once, not after
 * the first epoch; and two runs never write the same file. Closing releases every lock.
 */
final class RunLocks implements AutoCloseable {

    /** Names tried for a default destination before giving up. */
    private static final int MAX_NAMES = 1000;

    private final List<WriteLock> locks = new ArrayList<>();

    /**
     * Locks {@code file}, given by {@code option}, for this run.
     *
     * @throws UsageException naming the option when the file cannot be written or another run holds it
     */
    Path lock(String option, Path file) {
        try {
            locks.add(WriteLock.acquire(file));
            return file;
        } catch (IOException e) {
            throw new UsageException(option + ": " + e.getMessage());
        }
    }

    /**
     * Locks the first of {@code names.apply(1)}, {@code names.apply(2)}, ... that does not exist and that no
     * other run holds, and returns it: a default name that no run started at the same time also takes.
     *
     * @throws UsageException when none can be written
     */
    Path lockNew(IntFunction<Path> names) {
        for (int n = 1; n <= MAX_NAMES; n++) {
            Path name = names.apply(n);
            if (Files.exists(name, LinkOption.NOFOLLOW_LINKS)) {
                continue;
            }
            WriteLock lock;
            try {
                lock = WriteLock.acquire(name);
            } catch (FileBusyException e) {
                continue;
            } catch (IOException e) {
                throw new UsageException(e.getMessage() + " (the default destination; give one with --out)");
            }
            if (!Files.exists(name, LinkOption.NOFOLLOW_LINKS)) {
                locks.add(lock);
                return name;
            }
            close(lock);
        }
        throw new UsageException(
                "no free name for the output after " + names.apply(MAX_NAMES) + "; give one with --out");
    }

    /** Releases every lock. */
    @Override
    public void close() {
        locks.forEach(RunLocks::close);
        locks.clear();
    }

    private static void close(WriteLock lock) {
        try {
            lock.close();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot release the lock of " + lock.target(), e);
        }
    }
}
