package org.sparselinear.device;

import java.util.List;

/**
 * The kind of a kernel parameter, as a device backend passes it: a device buffer (an OpenCL {@code cl_mem}, a CUDA
 * device address), an {@code int} (flags too, as 1 or 0) or a {@code float}. A {@link KernelSignature} lists them;
 * each backend checks the list against what its compiled kernels declare.
 */
public enum KernelParameter {
    /** A device buffer ({@code __global T*} in OpenCL C, a pointer in CUDA). Code {@code P}. */
    BUFFER,
    /** An {@code int}; a flag is passed as 1 or 0. Code {@code I}. */
    INT,
    /** A {@code float}. Code {@code F}. */
    FLOAT;

    /**
     * The parameters written as one letter each, {@code P} buffer, {@code I} int, {@code F} float: {@code "PPI"}
     * is two buffers and an int.
     *
     * @throws IllegalArgumentException naming a letter that is none of these
     */
    public static List<KernelParameter> parse(String codes) {
        return codes.chars()
                .mapToObj(code -> switch (code) {
                    case 'P' -> BUFFER;
                    case 'I' -> INT;
                    case 'F' -> FLOAT;
                    default ->
                        throw new IllegalArgumentException("kernel parameter code '" + (char) code + "' in \"" + codes
                                + "\"; expected P (buffer), I (int) or F (float)");
                })
                .toList();
    }
}
