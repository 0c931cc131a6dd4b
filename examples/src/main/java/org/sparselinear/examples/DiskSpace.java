package org.sparselinear.examples;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.function.ToLongFunction;

/**
 * Checks, before training, that the disk of a checkpoint's destination can take it: a full disk is bad input found
 * at once (exit 2), not an I/O error after the first epoch. The size is an upper estimate from the parameter count:
 * per parameter 4 bytes of value, 4 of optimizer state and 16 of connection indices (two int64, for the sparse
 * layers), plus 64 KiB of header; twice that must be free, for the temporary file and the previous checkpoint it
 * replaces.
 */
final class DiskSpace {

    private static final long BYTES_PER_PARAMETER = 4 + 4 + 16;
    private static final long HEADER_BYTES = 64 * 1024;

    private final ToLongFunction<Path> usableBytes;

    /** Asks the file store of each destination for its usable space. */
    DiskSpace() {
        this(DiskSpace::fileStoreUsable);
    }

    /** Takes the usable space of a destination's folder from {@code usableBytes} (-1 when unknown). */
    DiskSpace(ToLongFunction<Path> usableBytes) {
        this.usableBytes = usableBytes;
    }

    /** The upper estimate of a checkpoint of a model with {@code parameters} trainable scalars. */
    static long checkpointBytes(long parameters) {
        return parameters * BYTES_PER_PARAMETER + HEADER_BYTES;
    }

    /**
     * Checks that {@code file}'s folder has room for a checkpoint of {@code parameters} scalars.
     *
     * @throws UsageException naming the option, the bytes needed and the bytes free
     */
    void requireRoomForCheckpoint(String option, Path file, long parameters) {
        Path folder = file.toAbsolutePath().getParent();
        long needed = 2 * checkpointBytes(parameters);
        long usable = usableBytes.applyAsLong(folder);
        if (usable >= 0 && usable < needed) {
            throw new UsageException(String.format(
                    Locale.ROOT,
                    "%s %s: its disk has %,d bytes free but a checkpoint of this model needs up to %,d (twice %,d,"
                            + " for the temporary file); free some space or save elsewhere",
                    option,
                    file,
                    usable,
                    needed,
                    checkpointBytes(parameters)));
        }
    }

    private static long fileStoreUsable(Path folder) {
        try {
            return Files.getFileStore(folder).getUsableSpace();
        } catch (IOException e) {
            return -1; // unknown: the write itself will tell
        }
    }
}
