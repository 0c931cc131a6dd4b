package org.sparselinear.io;

import java.io.IOException;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;

/**
 * Where a write really goes, and whether it may: symbolic links are followed to the file they name
 * (so the link itself stays a link), and only a regular file or a path that does not exist yet may be
 * written; a folder, device, FIFO or socket is refused with a message naming it.
 */
final class WriteTarget {

    /** Links followed before giving up, as Linux does. */
    private static final int MAX_LINKS = 40;

    private WriteTarget() {}

    /**
     * The path a write of {@code target} replaces: {@code target} itself (absolute, normalized), or,
     * where it is a symbolic link, the file at the end of its chain of links (which may not exist yet).
     *
     * @throws IOException when the target is not a regular file or a new path, or its links loop
     */
    static Path resolve(Path target) throws IOException {
        Path path = target.toAbsolutePath().normalize();
        for (int links = 0; Files.isSymbolicLink(path); links++) {
            if (links == MAX_LINKS) {
                throw new IOException(target + " is a chain of more than " + MAX_LINKS
                        + " symbolic links (a loop?); give the path of a regular file");
            }
            path = path.resolveSibling(Files.readSymbolicLink(path));
        }
        if (path.getFileName() == null) {
            throw new IOException(target + " is a folder; give a file name");
        }
        requireRegularOrNew(target, path);
        return path;
    }

    /**
     * Checks that {@code resolved}, where a write of {@code target} goes, is a regular file or absent; also
     * just before the rename, in case something else appeared there meanwhile.
     */
    static void requireRegularOrNew(Path target, Path resolved) throws IOException {
        BasicFileAttributes attributes;
        try {
            attributes = Files.readAttributes(resolved, BasicFileAttributes.class, LinkOption.NOFOLLOW_LINKS);
        } catch (FileSystemException e) {
            // Absent, or its folder is not a folder or not readable: creating the folder reports that.
            return;
        }
        if (attributes.isRegularFile()) {
            return;
        }
        String named = resolved.equals(target.toAbsolutePath().normalize())
                ? target.toString()
                : target + " (a link to " + resolved + ")";
        if (attributes.isDirectory()) {
            throw new IOException(named + " is a folder; give a file name");
        }
        throw new IOException(named + " is " + kind(resolved)
                + ", not a regular file; it is left untouched: give the path of a regular file or of a new one");
    }

    /** What a file that is neither regular, a folder nor a link is, as far as the platform tells. */
    private static String kind(Path path) {
        try {
            Object mode = Files.getAttribute(path, "unix:mode", LinkOption.NOFOLLOW_LINKS);
            switch (((Integer) mode) & 0170000) {
                case 0010000:
                    return "a FIFO (named pipe)";
                case 0020000:
                    return "a character device";
                case 0060000:
                    return "a block device";
                case 0140000:
                    return "a socket";
                default:
                    break;
            }
        } catch (IOException | UnsupportedOperationException | IllegalArgumentException | ClassCastException e) {
            // No unix view on this platform; fall back to the general description.
        }
        return "a special file (a device, FIFO or socket)";
    }
}
