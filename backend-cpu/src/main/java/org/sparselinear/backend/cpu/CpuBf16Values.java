package org.sparselinear.backend.cpu;

import org.sparselinear.api.Backend;
import org.sparselinear.api.Bf16Values;

/** bfloat16 values in a Java {@code short[]}, 16 bits each; closing drops the array for the garbage collector. */
final class CpuBf16Values implements Bf16Values {

    private final Backend backend;
    private final int length;
    private volatile short[] bits;

    CpuBf16Values(Backend backend, short[] bits) {
        this.backend = backend;
        this.length = bits.length;
        this.bits = bits;
    }

    /** The bfloat16 bits. */
    short[] bits() {
        short[] current = bits;
        if (current == null) {
            throw new IllegalStateException(this + " was closed (its memory scope ended)");
        }
        return current;
    }

    @Override
    public int length() {
        return length;
    }

    @Override
    public int bitsPerValue() {
        return Short.SIZE;
    }

    @Override
    public Backend backend() {
        return backend;
    }

    @Override
    public boolean isClosed() {
        return bits == null;
    }

    @Override
    public void close() {
        bits = null;
    }

    @Override
    public String toString() {
        return "CpuBf16Values(" + length + ")";
    }
}
