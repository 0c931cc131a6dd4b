package org.sparselinear.backend.opencl;

import java.util.Arrays;
import org.jocl.CL;
import org.jocl.Pointer;
import org.jocl.Sizeof;
import org.jocl.cl_kernel;
import org.jocl.cl_mem;
import org.sparselinear.api.DenseMatrix;
import org.sparselinear.api.SparseMatrix;

/**
 * One launch of a kernel: its arguments in order, then {@link #launch} with the global and
 * local sizes. Arguments are set and the kernel queued under the program's lock. A launch whose
 * global size is 0 is skipped (OpenCL rejects it, and there is no work). A failing call throws
 * an {@link OpenClException} that names the operation, the kernel and the operands' shapes.
 */
final class KernelCall {

    private static final int MAX_ARGUMENTS = 24;

    private final KernelProgram program;
    private final String kernel;
    private final String op;
    private final Object[] operands;
    private final long[] sizes = new long[MAX_ARGUMENTS];
    private final Pointer[] values = new Pointer[MAX_ARGUMENTS];
    private int count;

    KernelCall(KernelProgram program, String kernel, String op, Object[] operands) {
        this.program = program;
        this.kernel = kernel;
        this.op = op;
        this.operands = operands;
    }

    /** A buffer argument. */
    KernelCall buffer(cl_mem buffer) {
        return add(Sizeof.cl_mem, Pointer.to(buffer));
    }

    /** The buffer of a matrix. */
    KernelCall matrix(DenseMatrix matrix) {
        return buffer(((OpenClDenseMatrix) matrix).buffer());
    }

    /** An {@code int} argument. */
    KernelCall integer(int value) {
        return add(Sizeof.cl_int, Pointer.to(new int[] {value}));
    }

    /** A boolean as an {@code int} argument, 1 or 0. */
    KernelCall flag(boolean value) {
        return integer(value ? 1 : 0);
    }

    /** A {@code float} argument. */
    KernelCall real(float value) {
        return add(Sizeof.cl_float, Pointer.to(new float[] {value}));
    }

    private KernelCall add(long size, Pointer value) {
        sizes[count] = size;
        values[count] = value;
        count++;
        return this;
    }

    /** Launches {@code items} work-items (rounded up to a multiple of {@code group}) in groups of {@code group}. */
    void launch(long items, long group) {
        if (items == 0) {
            return;
        }
        enqueue(new long[] {roundUp(items, group)}, new long[] {group});
    }

    /** A two-dimensional launch; each global size is rounded up to a multiple of its group size. */
    void launch(long items0, long items1, long group0, long group1) {
        if (items0 == 0 || items1 == 0) {
            return;
        }
        enqueue(new long[] {roundUp(items0, group0), roundUp(items1, group1)}, new long[] {group0, group1});
    }

    static long roundUp(long items, long group) {
        return (items + group - 1) / group * group;
    }

    private void enqueue(long[] global, long[] local) {
        synchronized (program) {
            cl_kernel k = program.kernel(kernel);
            for (int i = 0; i < count; i++) {
                int status = CL.clSetKernelArg(k, i, sizes[i], values[i]);
                if (status != CL.CL_SUCCESS) {
                    throw failure("clSetKernelArg(" + kernel + ", argument " + i + ")", status);
                }
            }
            int status = CL.clEnqueueNDRangeKernel(program.context().queue(), k, global.length, null, global, local, 0,
                    null, null);
            if (status != CL.CL_SUCCESS) {
                throw failure("clEnqueueNDRangeKernel(" + kernel + ", global " + Arrays.toString(global)
                        + ", local " + Arrays.toString(local) + ")", status);
            }
        }
    }

    private OpenClException failure(String call, int status) {
        return new OpenClException(op + " with " + describe(operands),
                new OpenClException(call + " failed with " + OpenClException.statusName(status), status));
    }

    /** {@code "x (4, 8), weight 5 x 8 with 40 connections"}: labels followed by shapes. */
    static String describe(Object[] operands) {
        StringBuilder text = new StringBuilder();
        for (int i = 0; i + 1 < operands.length; i += 2) {
            if (text.length() > 0) {
                text.append(", ");
            }
            text.append(operands[i]).append(' ').append(shape(operands[i + 1]));
        }
        return text.length() == 0 ? "no operands" : text.toString();
    }

    private static String shape(Object operand) {
        if (operand instanceof DenseMatrix m) {
            return m.shapeString();
        }
        if (operand instanceof SparseMatrix s) {
            return s.rows() + " x " + s.columns() + " with " + s.nnz() + " connections";
        }
        return String.valueOf(operand);
    }
}
