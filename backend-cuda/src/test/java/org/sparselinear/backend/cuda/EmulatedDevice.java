package org.sparselinear.backend.cuda;

import java.util.EnumMap;
import java.util.HashMap;
import java.util.Map;
import org.sparselinear.device.KernelArgs;
import org.sparselinear.device.KernelParameter;

/**
 * A {@link CudaDevice} that runs the kernels' sources on the CPU ({@link Emulator}), so that the backend, its
 * launch configurations and its kernels run the conformance kit where there is no GPU. Memory is host memory
 * with a guard page after each allocation and filled with NaN bytes when allocated; the device's total memory is
 * a number chosen by the test, so that running out of it can be tested. It can also be told to fail the next
 * launch of a kernel with a given status, to test the backend's error messages.
 */
final class EmulatedDevice implements CudaDevice {

    private final CudaDeviceInfo info;
    private final Map<Long, Long> sizes = new HashMap<>();
    private final Map<Kernel, Integer> launches = new EnumMap<>(Kernel.class);
    private long allocated;
    private Kernel failing;
    private int failingStatus;
    private boolean closed;

    /** An emulated device of 4 GiB. */
    EmulatedDevice() {
        this(4L << 30);
    }

    /** An emulated device of {@code totalMemory} bytes. */
    EmulatedDevice(long totalMemory) {
        if (!Emulator.status().loaded()) {
            throw new IllegalStateException(Emulator.status().detail());
        }
        this.info = new CudaDeviceInfo(0, "CPU emulation of the CUDA kernels", 7, 5, 1, totalMemory, 13000);
    }

    /** Makes the next launch of {@code kernel} fail with {@code status}. */
    synchronized void failNextLaunch(Kernel kernel, int status) {
        this.failing = kernel;
        this.failingStatus = status;
    }

    /** How many times {@code kernel} was launched. */
    synchronized int launches(Kernel kernel) {
        return launches.getOrDefault(kernel, 0);
    }

    /** Bytes allocated and not freed. */
    synchronized long allocatedBytes() {
        return allocated;
    }

    @Override
    public CudaDeviceInfo info() {
        return info;
    }

    @Override
    public String kernelSource() {
        return "kernels: the CUDA sources compiled for the CPU emulator";
    }

    private void open() {
        if (closed) {
            throw new IllegalStateException("the emulated CUDA device was closed");
        }
    }

    @Override
    public synchronized long allocate(long bytes) {
        open();
        if (allocated + bytes > info.totalMemory()) {
            throw new CudaException(
                    "cuMemAlloc of " + bytes + " bytes (emulated) failed with "
                            + CudaStatus.name(CudaStatus.OUT_OF_MEMORY),
                    CudaStatus.OUT_OF_MEMORY);
        }
        long address = nativeAllocate(bytes);
        if (address == 0) {
            throw new CudaException("mmap of " + bytes + " bytes failed", CudaStatus.OUT_OF_MEMORY);
        }
        sizes.put(address, bytes);
        allocated += bytes;
        return address;
    }

    @Override
    public synchronized void free(long address) {
        Long bytes = sizes.remove(address);
        if (bytes != null) {
            allocated -= bytes;
            nativeFree(address);
        }
    }

    @Override
    public synchronized void upload(long address, float[] source, int offset, int count) {
        open();
        nativeWriteFloats(address, source, offset, count);
    }

    @Override
    public synchronized void upload(long address, int[] source) {
        open();
        nativeWriteInts(address, source, 0, source.length);
    }

    @Override
    public synchronized void download(long address, float[] target) {
        open();
        nativeReadFloats(address, target, 0, target.length);
    }

    @Override
    public synchronized void download(long address, int[] target) {
        open();
        nativeReadInts(address, target, 0, target.length);
    }

    @Override
    public synchronized void download(long address, long[] target) {
        open();
        nativeReadLongs(address, target, 0, target.length);
    }

    @Override
    public synchronized void copy(long target, long source, long bytes) {
        open();
        nativeCopy(target, source, bytes);
    }

    @Override
    public synchronized void fill32(long address, int bits, long count) {
        open();
        nativeFill32(address, bits, count);
    }

    @Override
    public synchronized void launch(LaunchConfig config, KernelArgs<Long> args) {
        open();
        Kernel kernel = (Kernel) args.kernel();
        launches.merge(kernel, 1, Integer::sum);
        if (kernel == failing) {
            failing = null;
            throw new CudaException(
                    "cuLaunchKernel of " + kernel.symbol() + " " + config + " failed with "
                            + CudaStatus.name(failingStatus) + " (injected by the test)",
                    failingStatus);
        }
        String error = nativeLaunch(
                kernel.symbol(),
                config.gridX(),
                config.gridY(),
                config.gridZ(),
                config.blockX(),
                config.blockY(),
                config.blockZ(),
                slots(args),
                sizes(args));
        if (error != null) {
            throw new CudaException(
                    "the emulated launch of " + kernel.symbol() + " " + config + " failed: " + error,
                    CudaException.NO_STATUS);
        }
    }

    @Override
    public void synchronize() {
        open();
    }

    @Override
    public synchronized long freeMemory() {
        return info.totalMemory() - allocated;
    }

    @Override
    public synchronized void close() {
        if (closed) {
            return;
        }
        for (long address : sizes.keySet()) {
            nativeFree(address);
        }
        sizes.clear();
        allocated = 0;
        closed = true;
    }

    private static native long nativeAllocate(long bytes);

    private static native boolean nativeFree(long address);

    private static native void nativeWriteFloats(long address, float[] data, int offset, int count);

    private static native void nativeWriteInts(long address, int[] data, int offset, int count);

    private static native void nativeReadFloats(long address, float[] data, int offset, int count);

    private static native void nativeReadInts(long address, int[] data, int offset, int count);

    private static native void nativeReadLongs(long address, long[] data, int offset, int count);

    private static native void nativeCopy(long target, long source, long bytes);

    private static native void nativeFill32(long address, int bits, long count);

    private static native String nativeLaunch(
            String kernel,
            int gridX,
            int gridY,
            int gridZ,
            int blockX,
            int blockY,
            int blockZ,
            long[] slots,
            int[] sizes);

    /** The arguments as the emulator takes them: each in an 8-byte slot (an address, or 32 bits of int or float). */
    static long[] slots(KernelArgs<Long> args) {
        long[] slots = new long[args.count()];
        for (int i = 0; i < slots.length; i++) {
            slots[i] = args.kind(i) == KernelParameter.BUFFER ? args.buffer(i) : args.bits(i) & 0xffffffffL;
        }
        return slots;
    }

    /** The bytes of each argument, as a launch passes them ({@link Kernel#bytes}). */
    static int[] sizes(KernelArgs<Long> args) {
        int[] sizes = new int[args.count()];
        for (int i = 0; i < sizes.length; i++) {
            sizes[i] = Kernel.bytes(args.kind(i));
        }
        return sizes;
    }
}
