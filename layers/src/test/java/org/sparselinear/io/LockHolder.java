package org.sparselinear.io;

import java.io.IOException;
import java.nio.file.Path;

/**
 * The child process of {@link AtomicFileTest}: holds the {@link WriteLock} of the file named by its
 * argument, prints {@code locked} and waits until its standard input closes or it is killed.
 */
public final class LockHolder {

    private LockHolder() {}

    public static void main(String[] args) throws IOException {
        try (WriteLock lock = WriteLock.acquire(Path.of(args[0]))) {
            System.out.println("locked");
            System.out.flush();
            while (System.in.read() >= 0) {
                // Hold the lock until the parent lets go.
            }
        }
    }
}
