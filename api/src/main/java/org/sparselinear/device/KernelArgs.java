package org.sparselinear.device;

import java.util.Arrays;
import java.util.List;

/**
 * The arguments of one kernel launch, in order and typed: device buffers of type {@code B} (an OpenCL
 * {@code cl_mem}, a CUDA device address) and the 32 bits of each {@code int} or {@code float}. {@link #check}
 * compares them with the kernel's {@link KernelSignature} before the backend launches it.
 *
 * @param <B> the backend's buffer handle
 */
public final class KernelArgs<B> {

    private final KernelSignature kernel;
    private final KernelParameter[] kinds;
    private final Object[] buffers;
    private final int[] scalars;
    private int count;

    /** Arguments for {@code kernel}. */
    public KernelArgs(KernelSignature kernel) {
        this.kernel = kernel;
        int size = kernel.parameters().size();
        this.kinds = new KernelParameter[size];
        this.buffers = new Object[size];
        this.scalars = new int[size];
    }

    private KernelArgs<B> add(KernelParameter kind, Object buffer, int bits) {
        if (count == kinds.length) {
            throw new IllegalStateException(
                    kernel.symbol() + " takes " + kinds.length + " parameters; a " + (count + 1) + "th was given");
        }
        kinds[count] = kind;
        buffers[count] = buffer;
        scalars[count++] = bits;
        return this;
    }

    /** A device buffer (for CUDA, the address 0 for a pointer the kernel does not read). */
    public KernelArgs<B> buffer(B buffer) {
        return add(KernelParameter.BUFFER, buffer, 0);
    }

    /** A strided matrix as three arguments: its buffer, its line stride and its stride. */
    public KernelArgs<B> strided(Strided<B> matrix) {
        return buffer(matrix.buffer()).integer(matrix.lineStride()).integer(matrix.stride());
    }

    /** An {@code int}. */
    public KernelArgs<B> integer(int value) {
        return add(KernelParameter.INT, null, value);
    }

    /** A flag, passed as the {@code int} 1 or 0. */
    public KernelArgs<B> flag(boolean value) {
        return integer(value ? 1 : 0);
    }

    /** A {@code float}. */
    public KernelArgs<B> real(float value) {
        return add(KernelParameter.FLOAT, null, Float.floatToRawIntBits(value));
    }

    /** The kernel these arguments are for. */
    public KernelSignature kernel() {
        return kernel;
    }

    /** Number of arguments given. */
    public int count() {
        return count;
    }

    /** The kind of argument {@code i}. */
    public KernelParameter kind(int i) {
        return kinds[i];
    }

    /** The buffer of argument {@code i}, a {@link KernelParameter#BUFFER}. */
    @SuppressWarnings("unchecked")
    public B buffer(int i) {
        return (B) buffers[i];
    }

    /** The 32 bits of argument {@code i}: the {@code int}, or the {@code float}'s raw bits. */
    public int bits(int i) {
        return scalars[i];
    }

    /** The kinds given so far, in order. */
    public List<KernelParameter> kinds() {
        return List.of(Arrays.copyOf(kinds, count));
    }

    /**
     * Throws when the arguments do not match the kernel's parameters in number and kind.
     *
     * @throws IllegalStateException naming the kernel and the first difference
     */
    public void check() {
        List<KernelParameter> expected = kernel.parameters();
        if (count != expected.size()) {
            throw new IllegalStateException(
                    kernel.symbol() + " takes " + expected.size() + " parameters, the launch " + "passes " + count);
        }
        for (int i = 0; i < count; i++) {
            if (kinds[i] != expected.get(i)) {
                throw new IllegalStateException(kernel.symbol() + ": parameter " + i + " is a " + expected.get(i)
                        + ", the launch passes a " + kinds[i]);
            }
        }
    }
}
