package org.sparselinear.backend.opencl;

import static org.jocl.CL.CL_CONTEXT_PLATFORM;
import static org.jocl.CL.CL_DEVICE_GLOBAL_MEM_SIZE;
import static org.jocl.CL.CL_DEVICE_MAX_COMPUTE_UNITS;
import static org.jocl.CL.CL_DEVICE_MAX_MEM_ALLOC_SIZE;
import static org.jocl.CL.CL_DEVICE_MAX_WORK_GROUP_SIZE;
import static org.jocl.CL.CL_DEVICE_NAME;
import static org.jocl.CL.CL_DEVICE_NOT_FOUND;
import static org.jocl.CL.CL_DEVICE_OPENCL_C_VERSION;
import static org.jocl.CL.CL_DEVICE_TYPE;
import static org.jocl.CL.CL_DEVICE_TYPE_ACCELERATOR;
import static org.jocl.CL.CL_DEVICE_TYPE_ALL;
import static org.jocl.CL.CL_DEVICE_TYPE_CPU;
import static org.jocl.CL.CL_DEVICE_TYPE_GPU;
import static org.jocl.CL.CL_DEVICE_VENDOR;
import static org.jocl.CL.CL_MEM_READ_WRITE;
import static org.jocl.CL.CL_PLATFORM_NAME;
import static org.jocl.CL.CL_PLATFORM_VERSION;
import static org.jocl.CL.CL_SUCCESS;
import static org.jocl.CL.CL_TRUE;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.jocl.CL;
import org.jocl.Pointer;
import org.jocl.Sizeof;
import org.jocl.cl_command_queue;
import org.jocl.cl_context;
import org.jocl.cl_context_properties;
import org.jocl.cl_device_id;
import org.jocl.cl_mem;
import org.jocl.cl_platform_id;

/**
 * One OpenCL device with its context and its single in-order command queue, and the plain
 * memory commands (create, release, write, read, copy). Every status code is checked; a failure
 * is an {@link OpenClException} naming the call. Because the queue is in order, a buffer handed
 * back to the pool may be reused by the next command at once: that command runs after every
 * command already queued.
 */
final class OpenClContext implements AutoCloseable {

    private final DeviceInfo info;
    private final cl_device_id device;
    private final cl_context context;
    private final cl_command_queue queue;
    private boolean closed;

    private OpenClContext(DeviceInfo info, cl_device_id device, cl_context context, cl_command_queue queue) {
        this.info = info;
        this.device = device;
        this.context = context;
        this.queue = queue;
    }

    // ---- discovery ----------------------------------------------------------------------

    /**
     * What enumeration found: every device of the platforms that were opened, in platform order,
     * and a line for each platform that was left closed ({@link SignalChaining}).
     */
    record Platforms(List<DeviceInfo> devices, List<String> skipped) {}

    /**
     * Every device of every platform, in platform order, except the platforms
     * {@link SignalChaining#mayOpen} refuses. This is the first touch of JOCL: a missing
     * {@code libOpenCL.so.1} surfaces here as a {@link LinkageError}; JOCL's exceptions are
     * switched off, so that failing calls return status codes, which this class checks.
     *
     * @throws OpenClException when the platforms cannot be listed (no ICD installed gives
     *         {@code CL_PLATFORM_NOT_FOUND_KHR})
     */
    static Platforms enumerate() {
        CL.setExceptionsEnabled(false);
        cl_platform_id[] platforms = platforms();
        List<DeviceInfo> found = new ArrayList<>();
        List<String> skipped = new ArrayList<>();
        for (int p = 0; p < platforms.length; p++) {
            String platformName = platformString(platforms[p], CL_PLATFORM_NAME);
            String platformVersion = platformString(platforms[p], CL_PLATFORM_VERSION);
            if (!SignalChaining.mayOpen(platformName)) {
                skipped.add("platform " + p + ": " + SignalChaining.refusal(platformName));
                continue;
            }
            cl_device_id[] devices = devices(platforms[p]);
            for (int d = 0; d < devices.length; d++) {
                cl_device_id device = devices[d];
                found.add(new DeviceInfo(
                        found.size(),
                        p,
                        platformName,
                        platformVersion,
                        d,
                        deviceString(device, CL_DEVICE_NAME),
                        deviceString(device, CL_DEVICE_VENDOR),
                        typeName(deviceLong(device, CL_DEVICE_TYPE, Sizeof.cl_ulong)),
                        deviceString(device, CL_DEVICE_OPENCL_C_VERSION),
                        (int) deviceLong(device, CL_DEVICE_MAX_COMPUTE_UNITS, Sizeof.cl_uint),
                        deviceLong(device, CL_DEVICE_GLOBAL_MEM_SIZE, Sizeof.cl_ulong),
                        deviceLong(device, CL_DEVICE_MAX_WORK_GROUP_SIZE, Sizeof.size_t),
                        deviceLong(device, CL_DEVICE_MAX_MEM_ALLOC_SIZE, Sizeof.cl_ulong)));
            }
        }
        return new Platforms(found, skipped);
    }

    private static cl_platform_id[] platforms() {
        int[] count = new int[1];
        int status = CL.clGetPlatformIDs(0, null, count);
        if (status != CL_SUCCESS || count[0] == 0) {
            throw new OpenClException(
                    "no OpenCL platform is installed (clGetPlatformIDs found " + count[0]
                            + " platforms and returned " + OpenClException.statusName(status)
                            + "); install an ICD such as "
                            + "pocl-opencl-icd or a GPU driver's",
                    status == CL_SUCCESS ? CL.CL_PLATFORM_NOT_FOUND_KHR : status);
        }
        cl_platform_id[] platforms = new cl_platform_id[count[0]];
        OpenClException.check(CL.clGetPlatformIDs(platforms.length, platforms, null), "clGetPlatformIDs");
        return platforms;
    }

    private static cl_device_id[] devices(cl_platform_id platform) {
        int[] count = new int[1];
        int status = CL.clGetDeviceIDs(platform, CL_DEVICE_TYPE_ALL, 0, null, count);
        if (status == CL_DEVICE_NOT_FOUND || count[0] == 0) {
            return new cl_device_id[0];
        }
        OpenClException.check(status, "clGetDeviceIDs");
        cl_device_id[] devices = new cl_device_id[count[0]];
        OpenClException.check(
                CL.clGetDeviceIDs(platform, CL_DEVICE_TYPE_ALL, devices.length, devices, null), "clGetDeviceIDs");
        return devices;
    }

    private static String typeName(long type) {
        if ((type & CL_DEVICE_TYPE_GPU) != 0) {
            return "GPU";
        }
        if ((type & CL_DEVICE_TYPE_CPU) != 0) {
            return "CPU";
        }
        if ((type & CL_DEVICE_TYPE_ACCELERATOR) != 0) {
            return "accelerator";
        }
        return "other";
    }

    private static String platformString(cl_platform_id platform, int parameter) {
        long[] size = new long[1];
        OpenClException.check(CL.clGetPlatformInfo(platform, parameter, 0, null, size), "clGetPlatformInfo");
        ByteBuffer bytes = ByteBuffer.allocateDirect((int) size[0]);
        OpenClException.check(
                CL.clGetPlatformInfo(platform, parameter, size[0], Pointer.to(bytes), null), "clGetPlatformInfo");
        return text(bytes);
    }

    private static String deviceString(cl_device_id device, int parameter) {
        long[] size = new long[1];
        OpenClException.check(CL.clGetDeviceInfo(device, parameter, 0, null, size), "clGetDeviceInfo");
        ByteBuffer bytes = ByteBuffer.allocateDirect((int) size[0]);
        OpenClException.check(
                CL.clGetDeviceInfo(device, parameter, size[0], Pointer.to(bytes), null), "clGetDeviceInfo");
        return text(bytes);
    }

    private static long deviceLong(cl_device_id device, int parameter, int size) {
        ByteBuffer value = ByteBuffer.allocateDirect(Long.BYTES).order(ByteOrder.nativeOrder());
        OpenClException.check(CL.clGetDeviceInfo(device, parameter, size, Pointer.to(value), null), "clGetDeviceInfo");
        return size == Sizeof.cl_uint ? value.getInt(0) & 0xFFFF_FFFFL : value.getLong(0);
    }

    /** The C string in a direct buffer (info strings are read through direct memory, not pinned arrays). */
    private static String text(ByteBuffer buffer) {
        byte[] bytes = new byte[buffer.capacity()];
        buffer.get(0, bytes);
        int length = bytes.length;
        while (length > 0 && bytes[length - 1] == 0) {
            length--;
        }
        return new String(bytes, 0, length, StandardCharsets.UTF_8).trim();
    }

    // ---- context ------------------------------------------------------------------------

    /** Creates a context and an in-order queue on the device {@code info} describes. */
    static OpenClContext open(DeviceInfo info) {
        CL.setExceptionsEnabled(false);
        cl_platform_id platform = platforms()[info.platformIndex()];
        cl_device_id device = devices(platform)[info.deviceIndex()];
        cl_context_properties properties = new cl_context_properties();
        properties.addProperty(CL_CONTEXT_PLATFORM, platform);
        int[] status = new int[1];
        cl_context context = CL.clCreateContext(properties, 1, new cl_device_id[] {device}, null, null, status);
        OpenClException.check(status[0], "clCreateContext on " + info.shortName());
        @SuppressWarnings("deprecation")
        cl_command_queue queue = CL.clCreateCommandQueue(context, device, 0, status);
        if (status[0] != CL_SUCCESS) {
            CL.clReleaseContext(context);
            OpenClException.check(status[0], "clCreateCommandQueue on " + info.shortName());
        }
        return new OpenClContext(info, device, context, queue);
    }

    DeviceInfo info() {
        return info;
    }

    cl_device_id device() {
        return device;
    }

    cl_context context() {
        return context;
    }

    cl_command_queue queue() {
        return queue;
    }

    // ---- memory commands ----------------------------------------------------------------

    /** A new read-write buffer of {@code bytes} bytes (contents undefined). */
    cl_mem createBuffer(long bytes) {
        int[] status = new int[1];
        cl_mem buffer = CL.clCreateBuffer(context, CL_MEM_READ_WRITE, bytes, null, status);
        OpenClException.check(status[0], "clCreateBuffer of " + bytes + " bytes");
        return buffer;
    }

    /** Releases a buffer; commands already queued that use it still complete. */
    void releaseBuffer(cl_mem buffer) {
        OpenClException.check(CL.clReleaseMemObject(buffer), "clReleaseMemObject");
    }

    /** Blocking write of {@code data} to the start of {@code buffer}. */
    void write(cl_mem buffer, float[] data) {
        if (data.length > 0) {
            OpenClException.check(
                    CL.clEnqueueWriteBuffer(
                            queue,
                            buffer,
                            CL_TRUE,
                            0,
                            (long) data.length * Sizeof.cl_float,
                            Pointer.to(data),
                            0,
                            null,
                            null),
                    "clEnqueueWriteBuffer of " + data.length + " floats");
        }
    }

    /** Blocking write of {@code data} to the start of {@code buffer}. */
    void write(cl_mem buffer, int[] data) {
        if (data.length > 0) {
            OpenClException.check(
                    CL.clEnqueueWriteBuffer(
                            queue,
                            buffer,
                            CL_TRUE,
                            0,
                            (long) data.length * Sizeof.cl_int,
                            Pointer.to(data),
                            0,
                            null,
                            null),
                    "clEnqueueWriteBuffer of " + data.length + " ints");
        }
    }

    /** Blocking read of {@code into.length} floats from the start of {@code buffer}, after every queued command. */
    void read(cl_mem buffer, float[] into) {
        if (into.length > 0) {
            OpenClException.check(
                    CL.clEnqueueReadBuffer(
                            queue,
                            buffer,
                            CL_TRUE,
                            0,
                            (long) into.length * Sizeof.cl_float,
                            Pointer.to(into),
                            0,
                            null,
                            null),
                    "clEnqueueReadBuffer of " + into.length + " floats");
        }
    }

    /** Blocking read of {@code into.length} ints from the start of {@code buffer}, after every queued command. */
    void read(cl_mem buffer, int[] into) {
        if (into.length > 0) {
            OpenClException.check(
                    CL.clEnqueueReadBuffer(
                            queue,
                            buffer,
                            CL_TRUE,
                            0,
                            (long) into.length * Sizeof.cl_int,
                            Pointer.to(into),
                            0,
                            null,
                            null),
                    "clEnqueueReadBuffer of " + into.length + " ints");
        }
    }

    /** Queues a device-side copy of the first {@code bytes} bytes. */
    void copy(cl_mem source, cl_mem target, long bytes) {
        copy(source, 0, target, 0, bytes);
    }

    /** Queues a device-side copy of {@code bytes} bytes from {@code sourceOffset} to {@code targetOffset}. */
    void copy(cl_mem source, long sourceOffset, cl_mem target, long targetOffset, long bytes) {
        if (bytes > 0) {
            OpenClException.check(
                    CL.clEnqueueCopyBuffer(queue, source, target, sourceOffset, targetOffset, bytes, 0, null, null),
                    "clEnqueueCopyBuffer of " + bytes + " bytes");
        }
    }

    /** Waits until every queued command has finished. */
    void finish() {
        OpenClException.check(CL.clFinish(queue), "clFinish");
    }

    /** Waits for the queue, then releases it and the context; idempotent. */
    @Override
    public void close() {
        if (closed) {
            return;
        }
        closed = true;
        CL.clFinish(queue);
        CL.clReleaseCommandQueue(queue);
        CL.clReleaseContext(context);
    }
}
