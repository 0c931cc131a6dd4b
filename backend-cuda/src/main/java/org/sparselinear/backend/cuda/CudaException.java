package org.sparselinear.backend.cuda;

import org.sparselinear.device.DeviceException;

/**
 * A CUDA call failed. The message names the call and the status (name and number, e.g.
 * {@code CUDA_ERROR_LAUNCH_OUT_OF_RESOURCES (701)}) and, when the failure happened inside a backend
 * operation, the operation and the shapes of its operands, e.g.
 * {@code spmm (weight 20000 x 20000, nnz 4000000; x (4, 20000), y (4, 20000)): cuLaunchKernel of
 * sl_spmm_block_rows <<<(20000, 1, 1), (128, 1, 1)>>> failed with CUDA_ERROR_LAUNCH_OUT_OF_RESOURCES (701)}.
 */
public final class CudaException extends DeviceException {

    private static final long serialVersionUID = 1L;

    /** The status of a failure that has no CUDA status (the emulator's, a kernel that is missing). */
    public static final int NO_STATUS = -1;

    /** A failure with the CUDA driver status {@code status} ({@link #NO_STATUS} when there is none). */
    public CudaException(String message, int status) {
        super(message, status);
    }

    /** The same failure, with {@code context} (the operation and its operands) put in front of its message. */
    CudaException(String context, DeviceException cause) {
        super(context, cause, "");
    }

    /** The same failure, with {@code context} in front of its message and {@code advice} after it. */
    CudaException(String context, DeviceException cause, String advice) {
        super(context, cause, advice);
    }

    /**
     * Whether the failure leaves the CUDA context unusable (an illegal address, a kernel that failed or timed
     * out): every later call fails too, and the backend must be closed.
     */
    public boolean isSticky() {
        return CudaStatus.isSticky(status());
    }
}
