package org.sparselinear.backend.opencl;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Finding libOpenCL.so.1 as the dynamic linker would, on folders and a linker cache made for the test. */
class OpenClLibraryTest {

    @TempDir
    Path temp;

    private Path folder(String name) throws IOException {
        return Files.createDirectories(temp.resolve(name));
    }

    /** A cache file whose string table lists {@code paths}, NUL-terminated, among other bytes. */
    private Path cache(String... paths) throws IOException {
        StringBuilder table = new StringBuilder("glibc-ld.so.cache1.1\0\0\0");
        for (String path : paths) {
            table.append(path).append('\0');
        }
        return Files.write(temp.resolve("ld.so.cache"), table.toString().getBytes(StandardCharsets.ISO_8859_1));
    }

    @Test
    void absentEverywhereIsMissingWithTheFoldersSearched() throws IOException {
        Path empty = folder("lib");
        Optional<String> missing = OpenClLibrary.missing(null, cache("/nowhere/libm.so.6"), List.of(empty));
        assertTrue(missing.isPresent());
        assertTrue(missing.get().startsWith("libOpenCL.so.1 was not found"), missing.get());
        assertTrue(missing.get().contains(empty.toString()) && missing.get().contains("ld.so.cache"), missing.get());
    }

    @Test
    void foundInAFolderOfLdLibraryPath() throws IOException {
        Path drivers = folder("drivers");
        Files.createFile(drivers.resolve("libOpenCL.so.1"));
        assertEquals(
                Optional.empty(),
                OpenClLibrary.missing(folder("other") + ":" + drivers, temp.resolve("no-cache"), List.of()));
        assertTrue(OpenClLibrary.missing(folder("other").toString(), temp.resolve("no-cache"), List.of())
                .isPresent());
    }

    @Test
    void foundThroughTheLinkerCacheOnlyWhenTheFileStillExists() throws IOException {
        Path lib = folder("x86_64-linux-gnu");
        Path library = Files.createFile(lib.resolve("libOpenCL.so.1"));
        assertEquals(
                Optional.empty(),
                OpenClLibrary.missing("", cache("/usr/lib/libz.so.1", library.toString()), List.of()));
        Files.delete(library);
        assertTrue(
                OpenClLibrary.missing("", cache(library.toString()), List.of()).isPresent(), "a stale cache entry");
        assertTrue(
                OpenClLibrary.missing(
                                "", cache(lib.resolve("libOpenCL.so.1.0.0").toString()), List.of())
                        .isPresent(),
                "another name that merely starts alike");
    }

    @Test
    void foundInADefaultFolderUnderItsShortName() throws IOException {
        Path usrLib = folder("usr-lib");
        Files.createFile(usrLib.resolve("libOpenCL.so"));
        assertEquals(Optional.empty(), OpenClLibrary.missing(null, temp.resolve("no-cache"), List.of(usrLib)));
    }

    @Test
    void thisMachineHasOpenClInstalled() {
        // PoCL and the ICD loader are installed where these tests run (.ci/run installs them); the
        // real search must find what the linker finds, or the backend would be hidden.
        Optional<String> missing = OpenClLibrary.missing();
        if (OpenClProbe.discover().found()) {
            assertFalse(missing.isPresent(), () -> "JOCL loaded OpenCL, but the search says: " + missing.get());
        }
    }
}
