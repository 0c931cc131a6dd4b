package org.sparselinear.backend.cuda;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import jcuda.nvrtc.JNvrtc;
import jcuda.nvrtc.nvrtcProgram;

/**
 * The run-time compiler path: NVRTC through JCuda's {@code jcuda.nvrtc.JNvrtc} (in the {@code jcuda} artifact;
 * its native needs {@code libnvrtc.so.12}). Used where the driver is too old for the shipped PTX: the same
 * {@code .cu} sources are compiled into a CUBIN for the device's exact architecture ({@code -arch=sm_XY}), which
 * any CUDA 12 driver loads.
 */
final class Nvrtc {

    /**
     * Whether NVRTC loads, and its version or why not.
     *
     * @param available whether it can compile
     * @param version {@code "12.4"} when available
     * @param reason why not, when unavailable
     */
    record Status(boolean available, String version, String reason) {}

    private static Status cached;

    private Nvrtc() {}

    /** Loads NVRTC once (catching the {@link LinkageError} of a missing {@code libnvrtc.so.12}) and caches the answer. */
    static synchronized Status status() {
        if (cached == null) {
            try {
                JNvrtc.setExceptionsEnabled(false);
                int[] major = {0};
                int[] minor = {0};
                int result = JNvrtc.nvrtcVersion(major, minor);
                cached = result == 0
                        ? new Status(true, major[0] + "." + minor[0], "")
                        : new Status(false, "", "nvrtcVersion failed with status " + result);
            } catch (LinkageError e) {
                cached = new Status(false, "", "libnvrtc.so.12 could not be loaded: " + CudaProbe.summary(e));
            }
        }
        return cached;
    }

    /**
     * Compiles one module's source for the compute capability {@code major.minor} into a CUBIN.
     *
     * @throws CudaException with NVRTC's log when the compilation fails
     */
    static byte[] compileCubin(String module, String source, Map<String, String> headers, int major, int minor) {
        nvrtcProgram program = new nvrtcProgram();
        List<String> names = new ArrayList<>(headers.keySet());
        List<String> contents = new ArrayList<>(headers.values());
        check(
                JNvrtc.nvrtcCreateProgram(
                        program,
                        source,
                        module + ".cu",
                        names.size(),
                        contents.toArray(new String[0]),
                        names.toArray(new String[0])),
                "nvrtcCreateProgram of " + module + ".cu");
        try {
            String[] options = {"--gpu-architecture=sm_" + major + minor, "--std=c++14"};
            int result = JNvrtc.nvrtcCompileProgram(program, options.length, options);
            if (result != 0) {
                String[] log = {""};
                JNvrtc.nvrtcGetProgramLog(program, log);
                throw new CudaException(
                        "NVRTC could not compile " + module + ".cu for sm_" + major + minor + " ("
                                + JNvrtc.nvrtcGetErrorString(result) + "):\n" + log[0],
                        CudaException.NO_STATUS);
            }
            long[] size = {0};
            check(JNvrtc.nvrtcGetCUBINSize(program, size), "nvrtcGetCUBINSize of " + module + ".cu");
            byte[] cubin = new byte[(int) size[0]];
            check(JNvrtc.nvrtcGetCUBIN(program, cubin), "nvrtcGetCUBIN of " + module + ".cu");
            return cubin;
        } finally {
            JNvrtc.nvrtcDestroyProgram(program);
        }
    }

    private static void check(int result, String call) {
        if (result != 0) {
            throw new CudaException(call + " failed: " + JNvrtc.nvrtcGetErrorString(result), CudaException.NO_STATUS);
        }
    }
}
