package org.sparselinear.backend.opencl;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * Whether the OpenCL ICD loader that JOCL opens ({@code libOpenCL.so.1}, else
 * {@code libOpenCL.so}) is installed, answered on Linux without loading anything. When its
 * {@code dlopen} fails, JOCL's native code writes "Could not load libOpenCL.so.1 ..." straight
 * to the process's standard error, which no Java code can catch; so the probe asks here first and
 * touches JOCL only when the library is there, and the reason is said once, by
 * {@code sparselinear backends}, instead of after every command.
 *
 * <p>The search follows the dynamic linker's order (ld.so(8)): the directories of
 * {@code LD_LIBRARY_PATH}, the linker cache {@code /etc/ld.so.cache} (whose entries hold the
 * library's full path), then the default directories. Elsewhere than Linux JOCL looks for other
 * names, and the answer is left to JOCL.
 */
final class OpenClLibrary {

    /** The names JOCL tries on Linux, in its order. */
    static final List<String> NAMES = List.of("libOpenCL.so.1", "libOpenCL.so");

    /** The linker cache of glibc. */
    static final Path LINKER_CACHE = Path.of("/etc/ld.so.cache");

    /** The directories the dynamic linker searches after the cache. */
    static final List<Path> DEFAULT_DIRECTORIES =
            List.of(Path.of("/lib64"), Path.of("/usr/lib64"), Path.of("/lib"), Path.of("/usr/lib"));

    private OpenClLibrary() {}

    /**
     * Why JOCL cannot load OpenCL on this machine, or empty when the library is found (or this is
     * not Linux, where JOCL itself says).
     */
    static Optional<String> missing() {
        if (!System.getProperty("os.name", "").toLowerCase(Locale.ROOT).startsWith("linux")) {
            return Optional.empty();
        }
        return missing(System.getenv("LD_LIBRARY_PATH"), LINKER_CACHE, DEFAULT_DIRECTORIES);
    }

    /**
     * Why none of {@link #NAMES} is found in the directories of {@code libraryPath} (colon
     * separated, may be null), the entries of the linker cache {@code cache} (may be absent) or the
     * {@code defaults}; empty when one is.
     */
    static Optional<String> missing(String libraryPath, Path cache, List<Path> defaults) {
        List<Path> directories = directories(libraryPath);
        byte[] cached;
        try {
            cached = Files.exists(cache) ? Files.readAllBytes(cache) : new byte[0];
        } catch (IOException e) {
            return Optional.empty(); // The linker may find it there: leave the answer to JOCL.
        }
        for (String name : NAMES) {
            if (inDirectories(name, directories) || inCache(name, cached) || inDirectories(name, defaults)) {
                return Optional.empty();
            }
        }
        return Optional.of(NAMES.get(0) + " was not found (searched $LD_LIBRARY_PATH"
                + (directories.isEmpty() ? " (empty)" : "") + ", the linker cache " + cache + " and "
                + String.join(", ", defaults.stream().map(Path::toString).toList()) + ")");
    }

    private static List<Path> directories(String libraryPath) {
        List<Path> directories = new ArrayList<>();
        if (libraryPath != null) {
            for (String entry : libraryPath.split(":")) {
                if (!entry.isBlank()) {
                    directories.add(Path.of(entry));
                }
            }
        }
        return directories;
    }

    private static boolean inDirectories(String name, List<Path> directories) {
        return directories.stream().anyMatch(directory -> Files.isRegularFile(directory.resolve(name)));
    }

    /**
     * Whether the cache lists {@code name} at a path that still exists: its string table holds
     * each library as a NUL-terminated absolute path ending in {@code "/" + name}.
     */
    private static boolean inCache(String name, byte[] cache) {
        byte[] tail = ("/" + name + "\0").getBytes(StandardCharsets.US_ASCII);
        for (int end = indexOf(cache, tail, 0); end >= 0; end = indexOf(cache, tail, end + 1)) {
            int start = end;
            while (start > 0 && cache[start - 1] != 0) {
                start--;
            }
            String path = new String(cache, start, end - start + tail.length - 1, StandardCharsets.ISO_8859_1);
            if (path.startsWith("/") && Files.isRegularFile(Path.of(path))) {
                return true;
            }
        }
        return false;
    }

    private static int indexOf(byte[] data, byte[] pattern, int from) {
        outer:
        for (int i = from; i <= data.length - pattern.length; i++) {
            for (int j = 0; j < pattern.length; j++) {
                if (data[i + j] != pattern[j]) {
                    continue outer;
                }
            }
            return i;
        }
        return -1;
    }
}
