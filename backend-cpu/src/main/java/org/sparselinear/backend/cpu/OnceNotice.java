package org.sparselinear.backend.cpu;

import java.util.Objects;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Consumer;

/**
 * A line said at most once, however many times it is asked for: a condition that holds for the
 * whole JVM (such as a missing module) is reported once, not by every backend created.
 */
final class OnceNotice {

    private final AtomicBoolean said = new AtomicBoolean();
    private final Consumer<String> out;

    /** A notice written to {@code out} (a line printer, e.g. to standard error). */
    OnceNotice(Consumer<String> out) {
        this.out = Objects.requireNonNull(out, "out");
    }

    /** Writes {@code line} unless a line was already written. */
    void say(String line) {
        if (said.compareAndSet(false, true)) {
            out.accept(line);
        }
    }
}
