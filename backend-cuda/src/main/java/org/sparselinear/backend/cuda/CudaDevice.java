package org.sparselinear.backend.cuda;

import org.sparselinear.device.KernelArgs;

/**
 * What the backend needs of a CUDA device: memory, copies on one stream, and launches of the {@link Kernel}s.
 * {@link DriverDevice} implements it with the CUDA driver API (JCuda); the module's tests also implement it with
 * a CPU emulation of the same kernel sources, which runs the backend and the conformance kit where there is no
 * GPU.
 *
 * <p>Every operation is queued in order on one stream; those that return host data ({@code download}) wait for
 * it. Addresses are device addresses (64 bits), as the kernels receive them. Failures throw
 * {@link CudaException} naming the call.
 */
interface CudaDevice extends AutoCloseable {

    /** The device. */
    CudaDeviceInfo info();

    /** One line on how the kernels were loaded (shipped PTX or NVRTC). */
    String kernelSource();

    /** The address of {@code bytes} new bytes of device memory (contents undefined). */
    long allocate(long bytes);

    /** Frees memory from {@link #allocate}; never throws (a failure is remembered and reported by {@link #close}). */
    void free(long address);

    /** Copies {@code count} floats from {@code source[offset]} to the device at {@code address}. */
    void upload(long address, float[] source, int offset, int count);

    /** Copies {@code source} to the device at {@code address}. */
    void upload(long address, int[] source);

    /** Copies {@code target.length} floats from the device at {@code address} into {@code target}, waiting for the stream. */
    void download(long address, float[] target);

    /** Copies {@code target.length} ints from the device, waiting for the stream. */
    void download(long address, int[] target);

    /** Copies {@code target.length} longs from the device, waiting for the stream. */
    void download(long address, long[] target);

    /** Copies {@code bytes} bytes on the device. */
    void copy(long target, long source, long bytes);

    /** Sets {@code count} 32-bit words at {@code address} to {@code bits}. */
    void fill32(long address, int bits, long count);

    /** Launches {@code args.kernel()} with {@code config}. */
    void launch(LaunchConfig config, KernelArgs<Long> args);

    /** Waits until everything queued has run. */
    void synchronize();

    /** Free device memory now, in bytes ({@code cuMemGetInfo}). */
    long freeMemory();

    /** Waits for the stream and releases the device (context, stream, modules). */
    @Override
    void close();
}
