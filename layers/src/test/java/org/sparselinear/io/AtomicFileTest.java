package org.sparselinear.io;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.InterruptedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@link AtomicFile} writes only regular files and new paths, through symbolic links, one writer at a
 * time, cleaning up after killed writers and keeping the file's permissions.
 */
class AtomicFileTest {

    @TempDir
    Path temp;

    private static void write(Path target, String text) throws IOException {
        byte[] bytes = text.getBytes(StandardCharsets.UTF_8);
        AtomicFile.write(target, out -> out.write(bytes));
    }

    private List<String> names() throws IOException {
        try (Stream<Path> files = Files.list(temp)) {
            return files.map(file -> file.getFileName().toString()).sorted().collect(Collectors.toList());
        }
    }

    @Test
    void aFifoIsRefusedAndLeftAFifo() throws Exception {
        Path fifo = temp.resolve("pipe");
        assumeTrue(mkfifo(fifo), "mkfifo is not available here");
        IOException e = assertThrows(IOException.class, () -> write(fifo, "x"));
        assertTrue(e.getMessage().startsWith(fifo + " is a FIFO"), e.getMessage());
        assertFalse(Files.isRegularFile(fifo));
        assertTrue(Files.readAttributes(fifo, BasicFileAttributes.class).isOther(), "still a FIFO");
        assertEquals(List.of("pipe"), names(), "no lock or temporary file left");
    }

    @Test
    void aFifoThatAppearsDuringTheWriteIsNotReplaced() throws Exception {
        Path target = temp.resolve("record.json");
        write(target, "old");
        IOException e = assertThrows(
                IOException.class,
                () -> AtomicFile.write(target, out -> {
                    out.write(1);
                    Files.delete(target);
                    assumeTrue(mkfifo(target), "mkfifo is not available here");
                }));
        assertTrue(e.getMessage().startsWith(target + " is a FIFO"), e.getMessage());
        assertTrue(Files.readAttributes(target, BasicFileAttributes.class).isOther(), "still a FIFO");
        assertEquals(List.of("record.json"), names(), "no lock or temporary file left");
    }

    /** Makes a FIFO at {@code path}; false when this platform has no {@code mkfifo}. */
    private static boolean mkfifo(Path path) throws IOException {
        Process mkfifo;
        try {
            mkfifo = new ProcessBuilder("mkfifo", path.toString()).start();
        } catch (IOException e) {
            return false;
        }
        try {
            return mkfifo.waitFor() == 0 && Files.exists(path);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new InterruptedIOException("interrupted while making a FIFO");
        }
    }

    @Test
    void devNullIsRefusedWithoutTouchingIt() {
        Path devNull = Path.of("/dev/null");
        assumeTrue(Files.exists(devNull), "no /dev/null on this platform");
        IOException e = assertThrows(IOException.class, () -> write(devNull, "x"));
        assertEquals(
                "/dev/null is a character device, not a regular file; it is left untouched: "
                        + "give the path of a regular file or of a new one",
                e.getMessage());
        assertFalse(Files.isRegularFile(devNull));
        assertFalse(Files.exists(Path.of("/dev/.null.lock")));
    }

    @Test
    void aFolderAtTheTargetIsRefused() throws IOException {
        Path folder = Files.createDirectory(temp.resolve("model.safetensors"));
        IOException e = assertThrows(IOException.class, () -> write(folder, "x"));
        assertEquals(folder + " is a folder; give a file name", e.getMessage());
        assertTrue(Files.isDirectory(folder));
    }

    @Test
    void aSymbolicLinkIsWrittenThroughAndStaysALink() throws IOException {
        Path real = temp.resolve("real.json");
        write(real, "old");
        Path link = Files.createSymbolicLink(temp.resolve("link.json"), Path.of("real.json"));
        write(link, "new");
        assertTrue(Files.isSymbolicLink(link), "the link is not replaced");
        assertEquals("new", Files.readString(real), "its target is written");
        assertEquals(List.of("link.json", "real.json"), names());
    }

    @Test
    void aDanglingLinkCreatesTheFileItNames() throws IOException {
        Path link = Files.createSymbolicLink(temp.resolve("link.json"), Path.of("later.json"));
        write(link, "text");
        assertTrue(Files.isSymbolicLink(link));
        assertEquals("text", Files.readString(temp.resolve("later.json")));
    }

    @Test
    void aLinkToADeviceIsRefused() throws IOException {
        assumeTrue(Files.exists(Path.of("/dev/null")), "no /dev/null on this platform");
        Path link = Files.createSymbolicLink(temp.resolve("out"), Path.of("/dev/null"));
        IOException e = assertThrows(IOException.class, () -> write(link, "x"));
        assertTrue(e.getMessage().startsWith(link + " (a link to /dev/null) is a character device"), e.getMessage());
        assertTrue(Files.isSymbolicLink(link));
    }

    @Test
    void staleTemporaryFilesOfTheTargetAreRemovedOthersKept() throws IOException {
        Path target = temp.resolve("m.bin");
        Files.writeString(temp.resolve(".m.bin.8123456789.tmp"), "killed mid-write");
        Files.writeString(temp.resolve(".m.bin.x.tmp"), "not ours");
        Files.writeString(temp.resolve(".m.bin.old.42.tmp"), "another target's");
        write(target, "fresh");
        assertEquals(List.of(".m.bin.old.42.tmp", ".m.bin.x.tmp", "m.bin"), names());
        assertEquals("fresh", Files.readString(target));
    }

    @Test
    void permissionsOfAnExistingFileAreKept() throws IOException {
        assumeTrue(temp.getFileSystem().supportedFileAttributeViews().contains("posix"), "no POSIX permissions");
        Path target = temp.resolve("record.json");
        write(target, "first");
        Files.setPosixFilePermissions(target, PosixFilePermissions.fromString("rw-r--r--"));
        write(target, "second");
        assertEquals("rw-r--r--", PosixFilePermissions.toString(Files.getPosixFilePermissions(target)));
        Files.setPosixFilePermissions(target, PosixFilePermissions.fromString("rw-rw----"));
        write(target, "third");
        assertEquals("rw-rw----", PosixFilePermissions.toString(Files.getPosixFilePermissions(target)));
        assertEquals("third", Files.readString(target));
    }

    @Test
    void aSecondLockInThisProcessFailsAtOnceNamingIt() throws IOException {
        Path target = temp.resolve("ckpt.safetensors");
        try (WriteLock first = WriteLock.acquire(target)) {
            write(target, "the holder may write");
            IOException e = assertThrows(IOException.class, () -> WriteLock.acquire(target));
            assertTrue(
                    e.getMessage()
                            .startsWith(target + " is being written by process "
                                    + ProcessHandle.current().pid() + " (this one)"),
                    e.getMessage());
        }
        assertEquals(List.of("ckpt.safetensors"), names(), "the lock file goes with the lock");
        try (WriteLock again = WriteLock.acquire(target)) {
            assertEquals(target, again.target());
        }
    }

    @Test
    @Timeout(value = 60, unit = TimeUnit.SECONDS)
    void aWriterInAnotherProcessFailsAtOnceWithItsPid() throws Exception {
        Path target = temp.resolve("ckpt.safetensors");
        write(target, "before");
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        Process holder = new ProcessBuilder(
                        java,
                        "-cp",
                        System.getProperty("java.class.path"),
                        LockHolder.class.getName(),
                        target.toString())
                .redirectError(ProcessBuilder.Redirect.DISCARD)
                .start();
        try {
            BufferedReader lines =
                    new BufferedReader(new InputStreamReader(holder.getInputStream(), StandardCharsets.UTF_8));
            assertEquals("locked", lines.readLine());
            IOException e = assertThrows(IOException.class, () -> write(target, "after"));
            assertEquals(
                    target + " is being written by process " + holder.pid() + " (lock "
                            + temp.resolve(".ckpt.safetensors.lock")
                            + "); wait until it finishes or write to another file",
                    e.getMessage());
            assertEquals("before", Files.readString(target));
        } finally {
            holder.getOutputStream().close();
            assertEquals(0, holder.waitFor());
        }
        write(target, "after");
        assertArrayEquals("after".getBytes(StandardCharsets.UTF_8), Files.readAllBytes(target));
        assertFalse(Files.exists(temp.resolve(".ckpt.safetensors.lock"), LinkOption.NOFOLLOW_LINKS));
    }

    @Test
    void aFolderThatCannotBeCreatedIsNamed() throws IOException {
        Path file = Files.writeString(temp.resolve("plain"), "x");
        IOException e = assertThrows(IOException.class, () -> WriteLock.acquire(file.resolve("model.safetensors")));
        assertEquals(
                "cannot create the folder " + file + " for " + file.resolve("model.safetensors")
                        + " (a file is in the way); choose another place",
                e.getMessage());
    }
}
