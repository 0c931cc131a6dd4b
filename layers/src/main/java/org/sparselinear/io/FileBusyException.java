package org.sparselinear.io;

import java.io.IOException;

/** Another writer holds the {@link WriteLock} of a file: its message names the file and the holder's process id. */
public final class FileBusyException extends IOException {

    private static final long serialVersionUID = 1L;

    FileBusyException(String message) {
        super(message);
    }
}
