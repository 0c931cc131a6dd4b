package org.sparselinear.device;

import org.sparselinear.api.BackendException;
import org.sparselinear.api.DenseMatrix;
import org.sparselinear.api.SparseMatrix;

/**
 * A call of a device API (OpenCL, CUDA) failed. The message says which call failed, with which status code
 * (its name and number), inside which backend operation and on which operands, and, where there is one, what to
 * do about it. Each device backend has its subclass, which knows the names of its API's status codes.
 */
public abstract class DeviceException extends BackendException {

    private static final long serialVersionUID = 1L;

    private final int status;

    /** A failure with the API's status code {@code status}, explained by {@code message}. */
    protected DeviceException(String message, int status) {
        super(message);
        this.status = status;
    }

    /**
     * The same failure seen from further out: {@code context} (the operation and its operands, see
     * {@link #describe}) in front of the cause's message, {@code advice} (empty, or starting with {@code "; "})
     * after it. The status code is the cause's.
     */
    protected DeviceException(String context, DeviceException cause, String advice) {
        super(context + ": " + cause.getMessage() + advice, cause);
        this.status = cause.status;
    }

    /** The status code the device API returned (its own numbering, e.g. -5 in OpenCL, 701 in CUDA). */
    public final int status() {
        return status;
    }

    /**
     * {@code "spmm (weight 5 x 8 with nnz 40, x (4, 8))"}: a backend operation and its operands, given as
     * alternating labels and values (dense matrices show their shape, patterns their shape and connections, any
     * other value its string); {@code "spmm"} alone when there are none.
     */
    public static String describe(String operation, Object... labelledOperands) {
        StringBuilder text = new StringBuilder(operation);
        if (labelledOperands.length > 1) {
            text.append(" (");
            for (int i = 0; i + 1 < labelledOperands.length; i += 2) {
                if (i > 0) {
                    text.append(", ");
                }
                text.append(labelledOperands[i]).append(' ').append(shape(labelledOperands[i + 1]));
            }
            text.append(')');
        }
        return text.toString();
    }

    private static String shape(Object operand) {
        if (operand instanceof DenseMatrix matrix) {
            return matrix.shapeString();
        }
        if (operand instanceof SparseMatrix pattern) {
            return pattern.rows() + " x " + pattern.columns() + " with nnz " + pattern.nnz();
        }
        return String.valueOf(operand);
    }
}
