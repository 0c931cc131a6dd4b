package org.sparselinear.backend.cuda;

import static jcuda.driver.JCudaDriver.cuCtxSetCurrent;
import static jcuda.driver.JCudaDriver.cuDeviceGet;
import static jcuda.driver.JCudaDriver.cuDeviceGetAttribute;
import static jcuda.driver.JCudaDriver.cuDeviceGetCount;
import static jcuda.driver.JCudaDriver.cuDeviceGetName;
import static jcuda.driver.JCudaDriver.cuDevicePrimaryCtxRelease;
import static jcuda.driver.JCudaDriver.cuDevicePrimaryCtxRetain;
import static jcuda.driver.JCudaDriver.cuDeviceTotalMem;
import static jcuda.driver.JCudaDriver.cuDriverGetVersion;
import static jcuda.driver.JCudaDriver.cuInit;
import static jcuda.driver.JCudaDriver.cuLaunchKernel;
import static jcuda.driver.JCudaDriver.cuMemAlloc;
import static jcuda.driver.JCudaDriver.cuMemFree;
import static jcuda.driver.JCudaDriver.cuMemGetInfo;
import static jcuda.driver.JCudaDriver.cuMemcpyDtoDAsync;
import static jcuda.driver.JCudaDriver.cuMemcpyDtoHAsync;
import static jcuda.driver.JCudaDriver.cuMemcpyHtoDAsync;
import static jcuda.driver.JCudaDriver.cuMemsetD32Async;
import static jcuda.driver.JCudaDriver.cuModuleGetFunction;
import static jcuda.driver.JCudaDriver.cuModuleLoadData;
import static jcuda.driver.JCudaDriver.cuModuleLoadDataJIT;
import static jcuda.driver.JCudaDriver.cuModuleUnload;
import static jcuda.driver.JCudaDriver.cuStreamCreate;
import static jcuda.driver.JCudaDriver.cuStreamDestroy;
import static jcuda.driver.JCudaDriver.cuStreamSynchronize;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.NavigableMap;
import java.util.TreeMap;
import jcuda.Pointer;
import jcuda.Sizeof;
import jcuda.driver.CUcontext;
import jcuda.driver.CUdevice;
import jcuda.driver.CUdevice_attribute;
import jcuda.driver.CUdeviceptr;
import jcuda.driver.CUfunction;
import jcuda.driver.CUjit_option;
import jcuda.driver.CUmodule;
import jcuda.driver.CUstream;
import jcuda.driver.CUstream_flags;
import jcuda.driver.JCudaDriver;
import jcuda.driver.JITOptions;
import org.sparselinear.api.BackendException;
import org.sparselinear.device.KernelArgs;
import org.sparselinear.device.KernelParameter;

/**
 * A {@link CudaDevice} on a real GPU through the CUDA driver API (JCuda's {@code JCudaDriver}, whose native needs
 * only {@code libcuda.so.1}, so it works with CUDA 12 and 13 drivers alike).
 *
 * <p>The device's primary context (shared with the CUDA runtime, so cuSPARSE works in it), made current on
 * whichever thread calls; one non-blocking stream that every copy, fill and launch goes to; the kernels loaded
 * as the shipped PTX or, where the driver rejects it, compiled by NVRTC ({@link KernelLoading}). Host-to-device
 * copies from Java arrays are pageable copies, which the driver stages before the call returns, so the array
 * may change right after; device-to-host copies wait for the stream.
 */
final class DriverDevice implements CudaDevice {

    /** A device pointer whose address this class can read (JCuda keeps it in a protected field). */
    private static final class DevicePointer extends CUdeviceptr {
        long address() {
            return getNativePointer() + getByteOffset();
        }
    }

    private final CudaDeviceInfo info;
    private final CUdevice device = new CUdevice();
    private final CUcontext context = new CUcontext();
    private final CUstream stream = new CUstream();
    private final List<CUmodule> modules = new ArrayList<>();
    private final Map<Kernel, CUfunction> functions = new EnumMap<>(Kernel.class);
    private final NavigableMap<Long, DevicePointer> allocations = new TreeMap<>();
    private final String kernelSource;
    private int freeFailures;
    private boolean closed;

    private DriverDevice(CudaDeviceInfo info, KernelLoading.Plan plan, KernelModules kernels) {
        this.info = info;
        JCudaDriver.setExceptionsEnabled(false);
        check(cuDeviceGet(device, info.index()), "cuDeviceGet(" + info.index() + ")");
        check(cuDevicePrimaryCtxRetain(context, device), "cuDevicePrimaryCtxRetain of device " + info.index());
        try {
            check(cuCtxSetCurrent(context), "cuCtxSetCurrent");
            check(cuStreamCreate(stream, CUstream_flags.CU_STREAM_NON_BLOCKING), "cuStreamCreate");
            this.kernelSource = loadKernels(plan, kernels);
        } catch (RuntimeException e) {
            unloadModules();
            cuDevicePrimaryCtxRelease(device);
            throw e;
        }
    }

    /**
     * Opens the device {@code spec} names (see {@link CudaDeviceSelector}), or throws {@link BackendException}
     * with the probe's reason when CUDA is unavailable.
     */
    static DriverDevice open(String spec) {
        CudaProbe.Discovery discovery = CudaProbe.discover();
        if (!discovery.found()) {
            throw new BackendException(discovery.failure());
        }
        CudaDeviceInfo info = CudaDeviceSelector.select(spec, discovery.devices());
        if (info.computeCapability() < CudaDeviceInfo.MIN_COMPUTE_CAPABILITY) {
            throw new BackendException(CudaProbe.UNAVAILABLE + "device " + info.index() + ", " + info.line()
                    + ", is older than the kernels support (compute capability 7.5 or newer)");
        }
        KernelModules kernels = KernelModules.shipped();
        kernels.checkSignatures();
        KernelLoading.Plan plan = KernelLoading.plan(kernels.isa(), discovery.driverVersion(), Nvrtc::status);
        if (!plan.possible()) {
            throw new BackendException(plan.detail());
        }
        return new DriverDevice(info, plan, kernels);
    }

    /** The probe's enumeration: the first touch of JCuda's driver binding (a {@link LinkageError} without a driver). */
    static CudaProbe.Enumeration enumerate() {
        JCudaDriver.setExceptionsEnabled(false);
        int status = cuInit(0);
        int[] version = {0};
        cuDriverGetVersion(version);
        if (status != CudaStatus.SUCCESS) {
            return new CudaProbe.Enumeration(status, version[0], List.of());
        }
        int[] count = {0};
        status = cuDeviceGetCount(count);
        if (status != CudaStatus.SUCCESS) {
            return new CudaProbe.Enumeration(status, version[0], List.of());
        }
        List<CudaDeviceInfo> devices = new ArrayList<>();
        for (int i = 0; i < count[0]; i++) {
            CUdevice device = new CUdevice();
            if (cuDeviceGet(device, i) != CudaStatus.SUCCESS) {
                continue;
            }
            byte[] name = new byte[256];
            cuDeviceGetName(name, name.length, device);
            int end = 0;
            while (end < name.length && name[end] != 0) {
                end++;
            }
            long[] memory = {0};
            cuDeviceTotalMem(memory, device);
            devices.add(new CudaDeviceInfo(
                    i,
                    new String(name, 0, end, StandardCharsets.UTF_8),
                    attribute(device, CUdevice_attribute.CU_DEVICE_ATTRIBUTE_COMPUTE_CAPABILITY_MAJOR),
                    attribute(device, CUdevice_attribute.CU_DEVICE_ATTRIBUTE_COMPUTE_CAPABILITY_MINOR),
                    attribute(device, CUdevice_attribute.CU_DEVICE_ATTRIBUTE_MULTIPROCESSOR_COUNT),
                    memory[0],
                    version[0]));
        }
        return new CudaProbe.Enumeration(CudaStatus.SUCCESS, version[0], devices);
    }

    private static int attribute(CUdevice device, int attribute) {
        int[] value = {0};
        cuDeviceGetAttribute(value, attribute, device);
        return value[0];
    }

    // ---- kernels --------------------------------------------------------------------------

    private String loadKernels(KernelLoading.Plan plan, KernelModules kernels) {
        Map<String, CUmodule> loaded;
        String source;
        if (plan.source() == KernelLoading.Source.SHIPPED_PTX) {
            try {
                loaded = loadShippedPtx(kernels);
                source = plan.detail();
            } catch (CudaException e) {
                if (!CudaStatus.isPtxRejection(e.status())) {
                    throw e;
                }
                Nvrtc.Status nvrtc = Nvrtc.status();
                if (!nvrtc.available()) {
                    throw new BackendException(
                            CudaProbe.UNAVAILABLE + "driver too old for the shipped kernels: the "
                                    + "driver (CUDA " + CudaDeviceInfo.cudaVersion(info.driverVersion())
                                    + ") rejected the PTX "
                                    + "(ISA " + kernels.isa() + ", nvcc " + kernels.nvccRelease() + "): "
                                    + e.getMessage()
                                    + "; NVRTC 12 could not be used instead (" + nvrtc.reason() + ")",
                            e);
                }
                loaded = compileWithNvrtc(kernels);
                source = "kernels: compiled from source by NVRTC " + nvrtc.version() + " for sm_" + info.major()
                        + info.minor() + " (the driver rejected the shipped PTX ISA " + kernels.isa() + ": "
                        + CudaStatus.name(e.status()) + ")";
            }
        } else {
            loaded = compileWithNvrtc(kernels);
            source = plan.detail();
        }
        for (Kernel kernel : Kernel.values()) {
            CUfunction function = new CUfunction();
            check(
                    cuModuleGetFunction(function, loaded.get(kernels.moduleOf(kernel)), kernel.symbol()),
                    "cuModuleGetFunction(" + kernel.symbol() + ")");
            functions.put(kernel, function);
        }
        return source;
    }

    private Map<String, CUmodule> loadShippedPtx(KernelModules kernels) {
        Map<String, CUmodule> loaded = new TreeMap<>();
        for (String name : kernels.modules()) {
            byte[] text = kernels.ptx(name).getBytes(StandardCharsets.US_ASCII);
            byte[] terminated = Arrays.copyOf(text, text.length + 1);
            CUmodule module = new CUmodule();
            int status = cuModuleLoadData(module, terminated);
            if (status != CudaStatus.SUCCESS) {
                unloadModules();
                throw new CudaException(
                        "cuModuleLoadData of the shipped PTX module " + name + ".ptx (ISA " + kernels.isa()
                                + ") failed with " + CudaStatus.name(status) + jitErrorLog(terminated),
                        status);
            }
            modules.add(module);
            loaded.put(name, module);
        }
        return loaded;
    }

    /**
     * The JIT compiler's error log for a PTX module the driver refused, by loading it once more with a log buffer;
     * best effort, for the message only: empty when there is none or the retry itself fails.
     */
    private static String jitErrorLog(byte[] ptx) {
        try {
            JITOptions options = new JITOptions();
            options.putBytes(CUjit_option.CU_JIT_ERROR_LOG_BUFFER, new byte[16_384]);
            CUmodule module = new CUmodule();
            if (cuModuleLoadDataJIT(module, Pointer.to(ptx), options) == CudaStatus.SUCCESS) {
                cuModuleUnload(module);
                return "";
            }
            String log = options.getString(CUjit_option.CU_JIT_ERROR_LOG_BUFFER);
            return log == null || log.isBlank() ? "" : "; the JIT compiler said: " + log.strip();
        } catch (RuntimeException | LinkageError e) {
            return "";
        }
    }

    private Map<String, CUmodule> compileWithNvrtc(KernelModules kernels) {
        Map<String, CUmodule> loaded = new TreeMap<>();
        for (String name : kernels.modules()) {
            String source = KernelModules.source(name);
            byte[] cubin = Nvrtc.compileCubin(name, source, KernelModules.headers(source), info.major(), info.minor());
            CUmodule module = new CUmodule();
            check(cuModuleLoadData(module, cubin), "cuModuleLoadData of the NVRTC-compiled module " + name);
            modules.add(module);
            loaded.put(name, module);
        }
        return loaded;
    }

    private void unloadModules() {
        for (CUmodule module : modules) {
            cuModuleUnload(module);
        }
        modules.clear();
    }

    // ---- the device -----------------------------------------------------------------------

    @Override
    public CudaDeviceInfo info() {
        return info;
    }

    @Override
    public String kernelSource() {
        return kernelSource;
    }

    /** Makes the device's context current on the calling thread (for cuSPARSE, which works in the current one). */
    void current() {
        if (closed) {
            throw new IllegalStateException("the CUDA device was closed with its backend");
        }
        check(cuCtxSetCurrent(context), "cuCtxSetCurrent");
    }

    /** The JCuda pointer of a device address inside one of this device's allocations. */
    synchronized CUdeviceptr pointer(long address) {
        Map.Entry<Long, DevicePointer> allocation = allocations.floorEntry(address);
        if (allocation == null) {
            throw new IllegalArgumentException(
                    "address 0x" + Long.toHexString(address) + " is not in any allocation " + "of this CUDA device");
        }
        long offset = address - allocation.getKey();
        return offset == 0 ? allocation.getValue() : allocation.getValue().withByteOffset(offset);
    }

    /** The stream (for cuSPARSE). */
    CUstream stream() {
        return stream;
    }

    @Override
    public synchronized long allocate(long bytes) {
        current();
        DevicePointer pointer = new DevicePointer();
        int status = cuMemAlloc(pointer, bytes);
        if (status != CudaStatus.SUCCESS) {
            long[] free = {0};
            long[] total = {0};
            cuMemGetInfo(free, total);
            throw new CudaException(
                    "cuMemAlloc of " + bytes + " bytes failed with " + CudaStatus.name(status) + " (device memory: "
                            + free[0] + " of " + total[0] + " bytes free)",
                    status);
        }
        allocations.put(pointer.address(), pointer);
        return pointer.address();
    }

    @Override
    public synchronized void free(long address) {
        DevicePointer pointer = allocations.remove(address);
        if (pointer == null || closed) {
            return;
        }
        if (cuCtxSetCurrent(context) != CudaStatus.SUCCESS || cuMemFree(pointer) != CudaStatus.SUCCESS) {
            freeFailures++;
        }
    }

    @Override
    public void upload(long address, float[] source, int offset, int count) {
        current();
        check(
                cuMemcpyHtoDAsync(
                        pointer(address),
                        Pointer.to(source).withByteOffset((long) offset * Sizeof.FLOAT),
                        (long) count * Sizeof.FLOAT,
                        stream),
                "cuMemcpyHtoDAsync of " + count + " floats");
    }

    @Override
    public void upload(long address, int[] source) {
        current();
        check(
                cuMemcpyHtoDAsync(pointer(address), Pointer.to(source), (long) source.length * Sizeof.INT, stream),
                "cuMemcpyHtoDAsync of " + source.length + " ints");
    }

    @Override
    public void download(long address, float[] target) {
        current();
        check(
                cuMemcpyDtoHAsync(Pointer.to(target), pointer(address), (long) target.length * Sizeof.FLOAT, stream),
                "cuMemcpyDtoHAsync of " + target.length + " floats");
        synchronize();
    }

    @Override
    public void download(long address, int[] target) {
        current();
        check(
                cuMemcpyDtoHAsync(Pointer.to(target), pointer(address), (long) target.length * Sizeof.INT, stream),
                "cuMemcpyDtoHAsync of " + target.length + " ints");
        synchronize();
    }

    @Override
    public void download(long address, long[] target) {
        current();
        check(
                cuMemcpyDtoHAsync(Pointer.to(target), pointer(address), (long) target.length * Sizeof.LONG, stream),
                "cuMemcpyDtoHAsync of " + target.length + " longs");
        synchronize();
    }

    @Override
    public void copy(long target, long source, long bytes) {
        current();
        check(
                cuMemcpyDtoDAsync(pointer(target), pointer(source), bytes, stream),
                "cuMemcpyDtoDAsync of " + bytes + " bytes");
    }

    @Override
    public void fill32(long address, int bits, long count) {
        current();
        check(cuMemsetD32Async(pointer(address), bits, count, stream), "cuMemsetD32Async of " + count + " words");
    }

    @Override
    public void launch(LaunchConfig config, KernelArgs<Long> args) {
        current();
        Kernel kernel = (Kernel) args.kernel();
        Pointer[] parameters = new Pointer[args.count()];
        for (int i = 0; i < parameters.length; i++) {
            parameters[i] = args.kind(i) == KernelParameter.BUFFER
                    ? Pointer.to(new long[] {args.buffer(i)})
                    : Pointer.to(new int[] {args.bits(i)});
        }
        check(
                cuLaunchKernel(
                        functions.get(kernel),
                        config.gridX(),
                        config.gridY(),
                        config.gridZ(),
                        config.blockX(),
                        config.blockY(),
                        config.blockZ(),
                        0,
                        stream,
                        Pointer.to(parameters),
                        null),
                "cuLaunchKernel of " + kernel.symbol() + " " + config);
    }

    @Override
    public void synchronize() {
        current();
        check(cuStreamSynchronize(stream), "cuStreamSynchronize (waiting for the operations queued before)");
    }

    @Override
    public long freeMemory() {
        current();
        long[] free = {0};
        long[] total = {0};
        check(cuMemGetInfo(free, total), "cuMemGetInfo");
        return free[0];
    }

    @Override
    public synchronized void close() {
        if (closed) {
            return;
        }
        cuCtxSetCurrent(context);
        int waited = cuStreamSynchronize(stream);
        for (DevicePointer pointer : allocations.values()) {
            cuMemFree(pointer);
        }
        allocations.clear();
        unloadModules();
        cuStreamDestroy(stream);
        cuDevicePrimaryCtxRelease(device);
        closed = true;
        if (waited != CudaStatus.SUCCESS && !CudaStatus.isSticky(waited)) {
            throw new CudaException(
                    "closing the CUDA device: cuStreamSynchronize failed with " + CudaStatus.name(waited), waited);
        }
    }

    /** Number of {@code cuMemFree} calls that failed (reported in descriptions; 0 normally). */
    synchronized int freeFailures() {
        return freeFailures;
    }

    private static void check(int status, String call) {
        if (status != CudaStatus.SUCCESS) {
            throw new CudaException(call + " failed with " + CudaStatus.name(status), status);
        }
    }
}
