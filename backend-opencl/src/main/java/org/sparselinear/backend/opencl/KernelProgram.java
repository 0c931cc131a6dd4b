package org.sparselinear.backend.opencl;

import static org.jocl.CL.CL_KERNEL_FUNCTION_NAME;
import static org.jocl.CL.CL_KERNEL_WORK_GROUP_SIZE;
import static org.jocl.CL.CL_PROGRAM_BUILD_LOG;
import static org.jocl.CL.CL_SUCCESS;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.jocl.CL;
import org.jocl.Pointer;
import org.jocl.Sizeof;
import org.jocl.cl_device_id;
import org.jocl.cl_kernel;
import org.jocl.cl_program;
import org.sparselinear.api.BackendException;

/**
 * The backend's OpenCL C 1.2 kernels: the {@code .cl} files next to this class on the class
 * path, compiled together once per context, with a {@code cl_kernel} for every kernel function.
 * A failed build throws with the compiler's build log in the message. Kernel arguments and the
 * launch are set under one lock ({@link KernelCall}), so operations may come from several threads.
 */
final class KernelProgram implements AutoCloseable {

    /** The kernel sources, in the order they are compiled ({@code common.cl} holds shared helpers). */
    static final List<String> SOURCES = List.of("common.cl", "elementwise.cl", "sparse.cl", "gemm.cl", "rows.cl",
            "columns.cl", "sparsity.cl");

    private final OpenClContext context;
    private final cl_program program;
    private final Map<String, cl_kernel> kernels;
    private boolean closed;

    private KernelProgram(OpenClContext context, cl_program program, Map<String, cl_kernel> kernels) {
        this.context = context;
        this.program = program;
        this.kernels = kernels;
    }

    /** Compiles the backend's kernels ({@link #SOURCES}) for the context's device with the given build options. */
    static KernelProgram build(OpenClContext context, String options) {
        List<String> texts = new ArrayList<>();
        for (String name : SOURCES) {
            texts.add(source(name));
        }
        return build(context, options, SOURCES, texts);
    }

    /**
     * Compiles {@code texts} (named {@code names} in messages) as one program and creates every
     * kernel in it.
     *
     * @throws BackendException with the build log when the compiler rejects the sources
     */
    static KernelProgram build(OpenClContext context, String options, List<String> names, List<String> texts) {
        String[] sources = new String[texts.size()];
        for (int i = 0; i < sources.length; i++) {
            sources[i] = "#line 1 \"" + names.get(i) + "\"\n" + texts.get(i) + "\n";
        }
        int[] status = new int[1];
        cl_program program = CL.clCreateProgramWithSource(context.context(), sources.length, sources, null, status);
        OpenClException.check(status[0], "clCreateProgramWithSource");
        cl_device_id[] devices = {context.device()};
        int built = CL.clBuildProgram(program, 1, devices, options, null, null);
        if (built != CL_SUCCESS) {
            String log = buildLog(program, context.device());
            CL.clReleaseProgram(program);
            throw new OpenClException("compiling the OpenCL kernels " + names + " for " + context.info().shortName()
                    + " with options '" + options + "' failed with " + OpenClException.statusName(built)
                    + "; build log:\n" + log, built);
        }
        Map<String, cl_kernel> kernels = new HashMap<>();
        try {
            int[] count = new int[1];
            OpenClException.check(CL.clCreateKernelsInProgram(program, 0, null, count), "clCreateKernelsInProgram");
            cl_kernel[] all = new cl_kernel[count[0]];
            OpenClException.check(CL.clCreateKernelsInProgram(program, all.length, all, null), "clCreateKernelsInProgram");
            for (cl_kernel kernel : all) {
                kernels.put(kernelName(kernel), kernel);
            }
        } catch (OpenClException e) {
            kernels.values().forEach(CL::clReleaseKernel);
            CL.clReleaseProgram(program);
            throw e;
        }
        return new KernelProgram(context, program, kernels);
    }

    /** The text of a kernel source on the class path, next to this class. */
    static String source(String name) {
        try (InputStream in = KernelProgram.class.getResourceAsStream(name)) {
            if (in == null) {
                throw new BackendException("OpenCL kernel source " + name + " is missing from the class path (expected "
                        + "next to " + KernelProgram.class.getName() + "); the backend jar is incomplete");
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException("reading OpenCL kernel source " + name, e);
        }
    }

    private static String buildLog(cl_program program, cl_device_id device) {
        long[] size = new long[1];
        if (CL.clGetProgramBuildInfo(program, device, CL_PROGRAM_BUILD_LOG, 0, null, size) != CL_SUCCESS) {
            return "(no build log available)";
        }
        ByteBuffer log = ByteBuffer.allocateDirect((int) size[0]);
        CL.clGetProgramBuildInfo(program, device, CL_PROGRAM_BUILD_LOG, size[0], Pointer.to(log), null);
        return text(log, StandardCharsets.UTF_8).strip();
    }

    private static String kernelName(cl_kernel kernel) {
        long[] size = new long[1];
        OpenClException.check(CL.clGetKernelInfo(kernel, CL_KERNEL_FUNCTION_NAME, 0, null, size), "clGetKernelInfo");
        ByteBuffer name = ByteBuffer.allocateDirect((int) size[0]);
        OpenClException.check(CL.clGetKernelInfo(kernel, CL_KERNEL_FUNCTION_NAME, size[0], Pointer.to(name), null),
                "clGetKernelInfo");
        return text(name, StandardCharsets.US_ASCII);
    }

    /** The C string in a direct buffer (strings are read through direct memory, not pinned arrays). */
    private static String text(ByteBuffer buffer, Charset charset) {
        byte[] bytes = new byte[buffer.capacity()];
        buffer.get(0, bytes);
        int length = bytes.length;
        while (length > 0 && bytes[length - 1] == 0) {
            length--;
        }
        return new String(bytes, 0, length, charset);
    }

    /** The names of the kernels in the program. */
    synchronized List<String> kernelNames() {
        return List.copyOf(kernels.keySet());
    }

    /** The largest work-group the device runs {@code kernel} with ({@code CL_KERNEL_WORK_GROUP_SIZE}). */
    synchronized long maxWorkGroupSize(String kernel) {
        ByteBuffer size = ByteBuffer.allocateDirect(Long.BYTES).order(ByteOrder.nativeOrder());
        OpenClException.check(CL.clGetKernelWorkGroupInfo(kernel(kernel), context.device(), CL_KERNEL_WORK_GROUP_SIZE,
                Sizeof.size_t, Pointer.to(size), null), "clGetKernelWorkGroupInfo(" + kernel + ")");
        return size.getLong(0);
    }

    /**
     * Starts a launch of {@code kernel} for the backend operation {@code op}; {@code operands}
     * alternate a label and a matrix (or any object), and name the shapes in error messages.
     */
    KernelCall call(String kernel, String op, Object... operands) {
        return new KernelCall(this, kernel, op, operands);
    }

    synchronized cl_kernel kernel(String name) {
        if (closed) {
            throw new IllegalStateException("the OpenCL backend was closed; its kernels are released");
        }
        cl_kernel kernel = kernels.get(name);
        if (kernel == null) {
            throw new IllegalStateException("no OpenCL kernel named " + name + " in " + SOURCES);
        }
        return kernel;
    }

    OpenClContext context() {
        return context;
    }

    /** Releases the kernels and the program; idempotent. */
    @Override
    public synchronized void close() {
        if (closed) {
            return;
        }
        closed = true;
        kernels.values().forEach(CL::clReleaseKernel);
        kernels.clear();
        CL.clReleaseProgram(program);
    }
}
