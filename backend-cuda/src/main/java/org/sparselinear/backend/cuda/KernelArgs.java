package org.sparselinear.backend.cuda;

import java.util.Arrays;
import java.util.List;

/**
 * The arguments of one kernel launch, in order, each in an 8-byte slot: a device address, an {@code int}, or a
 * {@code float} (its bits). {@link #check} compares them with the kernel's parameters before the launch.
 */
final class KernelArgs {

    private final Kernel kernel;
    private final long[] slots;
    private final Kernel.Param[] kinds;
    private int count;

    /** Arguments for {@code kernel}. */
    KernelArgs(Kernel kernel) {
        this.kernel = kernel;
        int size = kernel.parameters().size();
        this.slots = new long[size];
        this.kinds = new Kernel.Param[size];
    }

    private KernelArgs add(Kernel.Param kind, long value) {
        if (count == slots.length) {
            throw new IllegalStateException(kernel.symbol() + " takes " + slots.length + " parameters; a "
                    + (count + 1) + "th was given");
        }
        kinds[count] = kind;
        slots[count++] = value;
        return this;
    }

    /** A device address (0 for a pointer the kernel does not read). */
    KernelArgs pointer(long address) {
        return add(Kernel.Param.POINTER, address);
    }

    /** An {@code int}. */
    KernelArgs integer(int value) {
        return add(Kernel.Param.INT, value & 0xffffffffL);
    }

    /** A flag, passed as the {@code int} 1 or 0. */
    KernelArgs flag(boolean value) {
        return integer(value ? 1 : 0);
    }

    /** A {@code float}. */
    KernelArgs real(float value) {
        return add(Kernel.Param.FLOAT, Float.floatToRawIntBits(value) & 0xffffffffL);
    }

    /** The kernel these arguments are for. */
    Kernel kernel() {
        return kernel;
    }

    /** Number of arguments given. */
    int count() {
        return count;
    }

    /** The slot of argument {@code i}: the address, or the {@code int} or {@code float} bits in the low 32 bits. */
    long slot(int i) {
        return slots[i];
    }

    /** The kind of argument {@code i}. */
    Kernel.Param kind(int i) {
        return kinds[i];
    }

    /** The slots, one per argument. */
    long[] slots() {
        return Arrays.copyOf(slots, count);
    }

    /** The byte sizes of the arguments, one per argument. */
    int[] sizes() {
        int[] sizes = new int[count];
        for (int i = 0; i < count; i++) {
            sizes[i] = kinds[i].bytes();
        }
        return sizes;
    }

    /**
     * Throws when the arguments do not match the kernel's parameters in number and kind.
     *
     * @throws IllegalStateException naming the kernel and the first difference
     */
    void check() {
        List<Kernel.Param> expected = kernel.parameters();
        if (count != expected.size()) {
            throw new IllegalStateException(kernel.symbol() + " takes " + expected.size() + " parameters, the launch "
                    + "passes " + count);
        }
        for (int i = 0; i < count; i++) {
            if (kinds[i] != expected.get(i)) {
                throw new IllegalStateException(kernel.symbol() + ": parameter " + i + " is a " + expected.get(i)
                        + ", the launch passes a " + kinds[i]);
            }
        }
    }
}
