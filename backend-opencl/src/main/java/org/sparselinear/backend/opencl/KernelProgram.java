package org.sparselinear.backend.opencl;

import static org.jocl.CL.CL_KERNEL_ARG_ADDRESS_CONSTANT;
import static org.jocl.CL.CL_KERNEL_ARG_ADDRESS_GLOBAL;
import static org.jocl.CL.CL_KERNEL_ARG_ADDRESS_QUALIFIER;
import static org.jocl.CL.CL_KERNEL_ARG_INFO_NOT_AVAILABLE;
import static org.jocl.CL.CL_KERNEL_ARG_TYPE_NAME;
import static org.jocl.CL.CL_KERNEL_FUNCTION_NAME;
import static org.jocl.CL.CL_KERNEL_NUM_ARGS;
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
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.jocl.CL;
import org.jocl.Pointer;
import org.jocl.Sizeof;
import org.jocl.cl_device_id;
import org.jocl.cl_kernel;
import org.jocl.cl_mem;
import org.jocl.cl_program;
import org.sparselinear.api.BackendException;
import org.sparselinear.device.KernelArgs;
import org.sparselinear.device.KernelParameter;
import org.sparselinear.device.KernelSignature;

/**
 * The backend's OpenCL C 1.2 kernels: the {@code .cl} files next to this class on the class
 * path, compiled together once per context, with a {@code cl_kernel} for every kernel function.
 * A failed build throws with the compiler's build log in the message. The program is built with
 * {@code -cl-kernel-arg-info}, and every kernel the backend declares ({@link OpenClKernel}) is checked once against
 * it: its number of arguments ({@code CL_KERNEL_NUM_ARGS}) and, where the driver keeps the information, the kind of
 * each ({@code clGetKernelArgInfo}). Kernel arguments and the launch are set under one lock ({@link #launch}), so
 * operations may come from several threads.
 */
final class KernelProgram implements AutoCloseable {

    /** The kernel sources, in the order they are compiled ({@code common.cl} holds shared helpers). */
    static final List<String> SOURCES = List.of(
            "common.cl",
            "elementwise.cl",
            "sparse.cl",
            "sparse_input.cl",
            "gemm.cl",
            "rows.cl",
            "columns.cl",
            "sparsity.cl");

    private final OpenClContext context;
    private final cl_program program;
    private final Map<String, cl_kernel> kernels;

    /** Option that keeps the kernels' argument information, which the signature check reads. */
    static final String ARGUMENT_INFO_OPTION = "-cl-kernel-arg-info";

    private boolean closed;

    private KernelProgram(OpenClContext context, cl_program program, Map<String, cl_kernel> kernels) {
        this.context = context;
        this.program = program;
        this.kernels = kernels;
    }

    /**
     * Compiles the backend's kernels ({@link #SOURCES}) for the context's device with the given build options,
     * and checks every {@link OpenClKernel} against them.
     */
    static KernelProgram build(OpenClContext context, String options) {
        List<String> texts = new ArrayList<>();
        for (String name : SOURCES) {
            texts.add(source(name));
        }
        return build(context, options, SOURCES, texts, List.of(OpenClKernel.values()));
    }

    /**
     * Compiles {@code texts} (named {@code names} in messages) as one program, creates every
     * kernel in it and checks that each of {@code declared} is there with the parameters it declares.
     *
     * @throws BackendException with the build log when the compiler rejects the sources, or naming the first
     *         declared kernel that is missing or takes other parameters
     */
    static KernelProgram build(
            OpenClContext context,
            String options,
            List<String> names,
            List<String> texts,
            List<? extends KernelSignature> declared) {
        options = (options + " " + ARGUMENT_INFO_OPTION).strip();
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
            throw new OpenClException(
                    "compiling the OpenCL kernels " + names + " for "
                            + context.info().shortName()
                            + " with options '" + options + "' failed with " + OpenClException.statusName(built)
                            + "; build log:\n" + log,
                    built);
        }
        Map<String, cl_kernel> kernels = new HashMap<>();
        try {
            int[] count = new int[1];
            OpenClException.check(CL.clCreateKernelsInProgram(program, 0, null, count), "clCreateKernelsInProgram");
            cl_kernel[] all = new cl_kernel[count[0]];
            OpenClException.check(
                    CL.clCreateKernelsInProgram(program, all.length, all, null), "clCreateKernelsInProgram");
            for (cl_kernel kernel : all) {
                kernels.put(kernelName(kernel), kernel);
            }
            for (KernelSignature signature : declared) {
                checkSignature(signature, kernels.get(signature.symbol()), names);
            }
        } catch (BackendException e) {
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

    /** Checks that {@code kernel}, the compiled kernel named like {@code signature} (null if none), matches it. */
    private static void checkSignature(KernelSignature signature, cl_kernel kernel, List<String> names) {
        String remedy = "the sources " + names + " and the backend's declaration ("
                + signature.getClass().getSimpleName() + ") must change together";
        if (kernel == null) {
            throw new BackendException("kernel " + signature.symbol() + " is declared by the backend but not in the "
                    + "compiled program; " + remedy);
        }
        ByteBuffer value = ByteBuffer.allocateDirect(Long.BYTES).order(ByteOrder.nativeOrder());
        OpenClException.check(
                CL.clGetKernelInfo(kernel, CL_KERNEL_NUM_ARGS, Sizeof.cl_uint, Pointer.to(value), null),
                "clGetKernelInfo(" + signature.symbol() + ", CL_KERNEL_NUM_ARGS)");
        int count = value.getInt(0);
        List<KernelParameter> declared = new ArrayList<>(count);
        for (int i = 0; i < count; i++) {
            int status = CL.clGetKernelArgInfo(
                    kernel, i, CL_KERNEL_ARG_ADDRESS_QUALIFIER, Sizeof.cl_uint, Pointer.to(value), null);
            if (status == CL_KERNEL_ARG_INFO_NOT_AVAILABLE) {
                if (count != signature.parameters().size()) {
                    throw new BackendException("kernel " + signature.symbol() + " takes " + count + " arguments in its "
                            + "compiled program, the backend passes "
                            + signature.parameters().size() + "; " + remedy);
                }
                return;
            }
            OpenClException.check(status, "clGetKernelArgInfo(" + signature.symbol() + ", argument " + i + ")");
            int address = value.getInt(0);
            declared.add(
                    address == CL_KERNEL_ARG_ADDRESS_GLOBAL || address == CL_KERNEL_ARG_ADDRESS_CONSTANT
                            ? KernelParameter.BUFFER
                            : scalarKind(argumentTypeName(kernel, i, signature)));
        }
        signature.checkDeclared(declared, remedy);
    }

    /** The kind of a by-value argument of OpenCL C type {@code type}, or null for one the backend never passes. */
    private static KernelParameter scalarKind(String type) {
        return switch (type) {
            case "int", "uint" -> KernelParameter.INT;
            case "float" -> KernelParameter.FLOAT;
            default -> null;
        };
    }

    private static String argumentTypeName(cl_kernel kernel, int index, KernelSignature signature) {
        String call = "clGetKernelArgInfo(" + signature.symbol() + ", argument " + index + ", CL_KERNEL_ARG_TYPE_NAME)";
        long[] size = new long[1];
        OpenClException.check(CL.clGetKernelArgInfo(kernel, index, CL_KERNEL_ARG_TYPE_NAME, 0, null, size), call);
        ByteBuffer name = ByteBuffer.allocateDirect((int) size[0]);
        OpenClException.check(
                CL.clGetKernelArgInfo(kernel, index, CL_KERNEL_ARG_TYPE_NAME, size[0], Pointer.to(name), null), call);
        return text(name, StandardCharsets.US_ASCII).strip();
    }

    private static String kernelName(cl_kernel kernel) {
        long[] size = new long[1];
        OpenClException.check(CL.clGetKernelInfo(kernel, CL_KERNEL_FUNCTION_NAME, 0, null, size), "clGetKernelInfo");
        ByteBuffer name = ByteBuffer.allocateDirect((int) size[0]);
        OpenClException.check(
                CL.clGetKernelInfo(kernel, CL_KERNEL_FUNCTION_NAME, size[0], Pointer.to(name), null),
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

    /** The largest work-group the device runs {@code kernel} with ({@code CL_KERNEL_WORK_GROUP_SIZE}). */
    synchronized long maxWorkGroupSize(KernelSignature kernel) {
        ByteBuffer size = ByteBuffer.allocateDirect(Long.BYTES).order(ByteOrder.nativeOrder());
        OpenClException.check(
                CL.clGetKernelWorkGroupInfo(
                        kernel(kernel.symbol()),
                        context.device(),
                        CL_KERNEL_WORK_GROUP_SIZE,
                        Sizeof.size_t,
                        Pointer.to(size),
                        null),
                "clGetKernelWorkGroupInfo(" + kernel.symbol() + ")");
        return size.getLong(0);
    }

    /**
     * Checks {@code args} against their kernel's signature, sets them and queues the kernel over the global sizes
     * {@code global} in work-groups of {@code local} (one entry per dimension; each global size a multiple of its
     * group size); nothing when a global size is 0 (OpenCL rejects it, and there is no work).
     *
     * @throws OpenClException naming the call that failed and its status
     */
    void launch(KernelArgs<cl_mem> args, long[] global, long[] local) {
        args.check();
        for (long items : global) {
            if (items == 0) {
                return;
            }
        }
        String name = args.kernel().symbol();
        synchronized (this) {
            cl_kernel k = kernel(name);
            for (int i = 0; i < args.count(); i++) {
                int status = args.kind(i) == KernelParameter.BUFFER
                        ? CL.clSetKernelArg(k, i, Sizeof.cl_mem, Pointer.to(args.buffer(i)))
                        : CL.clSetKernelArg(k, i, Sizeof.cl_int, Pointer.to(new int[] {args.bits(i)}));
                if (status != CL_SUCCESS) {
                    throw new OpenClException(
                            "clSetKernelArg(" + name + ", argument " + i + ") failed with "
                                    + OpenClException.statusName(status),
                            status);
                }
            }
            int status =
                    CL.clEnqueueNDRangeKernel(context.queue(), k, global.length, null, global, local, 0, null, null);
            if (status != CL_SUCCESS) {
                throw new OpenClException(
                        "clEnqueueNDRangeKernel(" + name + ", global " + Arrays.toString(global) + ", local "
                                + Arrays.toString(local) + ") failed with " + OpenClException.statusName(status),
                        status);
            }
        }
    }

    private synchronized cl_kernel kernel(String name) {
        if (closed) {
            throw new IllegalStateException("the OpenCL backend was closed; its kernels are released");
        }
        cl_kernel kernel = kernels.get(name);
        if (kernel == null) {
            throw new IllegalStateException("no OpenCL kernel named " + name + " in " + SOURCES);
        }
        return kernel;
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
