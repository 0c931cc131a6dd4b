package org.sparselinear.device;

import java.util.List;
import org.sparselinear.api.BackendException;

/**
 * A kernel as a device backend declares it: its name in the compiled program and the kinds of its parameters. The
 * GPU backends list their kernels as enums of signatures; each checks them once against its compiled program
 * (the PTX's entries for CUDA, {@code clGetKernelInfo}/{@code clGetKernelArgInfo} for OpenCL), and every launch's
 * {@link KernelArgs} against them, so that a kernel whose parameters changed fails with a message instead of
 * reading garbage.
 */
public interface KernelSignature {

    /** The kernel's name in the compiled program and its sources. */
    String symbol();

    /** The kinds of its parameters, in order. */
    List<KernelParameter> parameters();

    /**
     * Throws when {@code declared} (what the compiled program says the kernel takes; an element may be null for
     * a kind the backend never passes) differs from {@link #parameters()}.
     *
     * @throws BackendException naming the kernel, both lists and {@code remedy}
     */
    default void checkDeclared(List<KernelParameter> declared, String remedy) {
        if (!declared.equals(parameters())) {
            throw new BackendException("kernel " + symbol() + " declares the parameters "
                    + declared + " in its compiled program, the backend passes " + parameters()
                    + "; the kernels and the backend disagree: " + remedy);
        }
    }
}
