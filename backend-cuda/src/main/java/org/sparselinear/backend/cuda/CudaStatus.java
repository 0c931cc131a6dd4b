package org.sparselinear.backend.cuda;

/**
 * Names of CUDA driver status codes ({@code CUresult}) for messages, without touching JCuda's natives: the
 * common ones are spelt here so that a message reads the same whether or not JCuda could be loaded.
 */
final class CudaStatus {

    static final int SUCCESS = 0;
    static final int INVALID_VALUE = 1;
    static final int OUT_OF_MEMORY = 2;
    static final int NOT_INITIALIZED = 3;
    static final int STUB_LIBRARY = 34;
    static final int NO_DEVICE = 100;
    static final int INVALID_DEVICE = 101;
    static final int NO_BINARY_FOR_GPU = 209;
    static final int INVALID_PTX = 218;
    static final int JIT_COMPILER_NOT_FOUND = 221;
    static final int UNSUPPORTED_PTX_VERSION = 222;
    static final int JIT_COMPILATION_DISABLED = 223;
    static final int ILLEGAL_ADDRESS = 700;
    static final int LAUNCH_OUT_OF_RESOURCES = 701;
    static final int LAUNCH_TIMEOUT = 702;
    static final int LAUNCH_FAILED = 719;
    static final int SYSTEM_DRIVER_MISMATCH = 803;
    static final int COMPAT_NOT_SUPPORTED_ON_DEVICE = 804;

    private CudaStatus() {}

    /** {@code "CUDA_ERROR_OUT_OF_MEMORY (2)"}. */
    static String name(int status) {
        String name =
                switch (status) {
                    case SUCCESS -> "CUDA_SUCCESS";
                    case INVALID_VALUE -> "CUDA_ERROR_INVALID_VALUE";
                    case OUT_OF_MEMORY -> "CUDA_ERROR_OUT_OF_MEMORY";
                    case NOT_INITIALIZED -> "CUDA_ERROR_NOT_INITIALIZED";
                    case STUB_LIBRARY -> "CUDA_ERROR_STUB_LIBRARY";
                    case NO_DEVICE -> "CUDA_ERROR_NO_DEVICE";
                    case INVALID_DEVICE -> "CUDA_ERROR_INVALID_DEVICE";
                    case NO_BINARY_FOR_GPU -> "CUDA_ERROR_NO_BINARY_FOR_GPU";
                    case INVALID_PTX -> "CUDA_ERROR_INVALID_PTX";
                    case JIT_COMPILER_NOT_FOUND -> "CUDA_ERROR_JIT_COMPILER_NOT_FOUND";
                    case UNSUPPORTED_PTX_VERSION -> "CUDA_ERROR_UNSUPPORTED_PTX_VERSION";
                    case JIT_COMPILATION_DISABLED -> "CUDA_ERROR_JIT_COMPILATION_DISABLED";
                    case ILLEGAL_ADDRESS -> "CUDA_ERROR_ILLEGAL_ADDRESS";
                    case LAUNCH_OUT_OF_RESOURCES -> "CUDA_ERROR_LAUNCH_OUT_OF_RESOURCES";
                    case LAUNCH_TIMEOUT -> "CUDA_ERROR_LAUNCH_TIMEOUT";
                    case LAUNCH_FAILED -> "CUDA_ERROR_LAUNCH_FAILED";
                    case SYSTEM_DRIVER_MISMATCH -> "CUDA_ERROR_SYSTEM_DRIVER_MISMATCH";
                    case COMPAT_NOT_SUPPORTED_ON_DEVICE -> "CUDA_ERROR_COMPAT_NOT_SUPPORTED_ON_DEVICE";
                    case CudaException.NO_STATUS -> "no CUDA status";
                    default -> otherName(status);
                };
        return name + " (" + status + ")";
    }

    private static String otherName(int status) {
        try {
            String name = jcuda.driver.CUresult.stringFor(status);
            return name.startsWith("INVALID") ? "CUDA error" : name;
        } catch (LinkageError e) {
            return "CUDA error";
        }
    }

    /** Whether the status is one of the errors after which the context is unusable. */
    static boolean isSticky(int status) {
        return status == ILLEGAL_ADDRESS
                || status == LAUNCH_TIMEOUT
                || status == LAUNCH_FAILED
                || (status >= 714 && status <= 718);
    }

    /** Whether the driver refused a PTX module in a way that compiling the sources for this GPU could cure. */
    static boolean isPtxRejection(int status) {
        return status == UNSUPPORTED_PTX_VERSION
                || status == INVALID_PTX
                || status == JIT_COMPILER_NOT_FOUND
                || status == NO_BINARY_FOR_GPU;
    }
}
