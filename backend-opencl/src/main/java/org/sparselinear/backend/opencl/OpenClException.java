package org.sparselinear.backend.opencl;

import org.jocl.CL;
import org.sparselinear.device.DeviceException;

/**
 * An OpenCL call failed. The message names the call, the status code (number and name, e.g.
 * {@code CL_OUT_OF_RESOURCES (-5)}) and, when the failure happened inside a backend operation,
 * the operation and the shapes of its operands.
 */
public final class OpenClException extends DeviceException {

    private static final long serialVersionUID = 1L;

    /** A failure of {@code call} with the OpenCL status code {@code status}, explained by {@code message}. */
    public OpenClException(String message, int status) {
        super(message, status);
    }

    /** The same failure, with {@code context} (the operation and its operands) put in front of its message. */
    OpenClException(String context, DeviceException cause) {
        super(context, cause, "");
    }

    /** {@code "CL_OUT_OF_RESOURCES (-5)"}: the name JOCL knows for a status code, and the number. */
    static String statusName(int status) {
        String name;
        try {
            name = CL.stringFor_errorCode(status);
        } catch (LinkageError e) {
            name = "status";
        }
        return name + " (" + status + ")";
    }

    /** Throws when {@code status} is not {@code CL_SUCCESS}, naming the call that returned it. */
    static void check(int status, String call) {
        if (status != CL.CL_SUCCESS) {
            throw new OpenClException(call + " failed with " + statusName(status), status);
        }
    }
}
