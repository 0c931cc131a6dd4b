package org.sparselinear.backend.opencl;

import org.sparselinear.api.Backend;
import org.sparselinear.tck.SparseInputStressConformanceTest;

/**
 * The kit's sparse-input stress checks on OpenCL, whose kernels have variants the batches reach: a
 * sample's outputs split into 32 ranges (more than some batches have outputs), dot products below
 * and above the 256 terms where 32 work-items share an entry, and PoCL running work-groups on
 * several threads for the same-bits check.
 */
@RequiresOpenCl
class OpenClSparseInputTest extends SparseInputStressConformanceTest {

    @Override
    protected Backend createBackend() {
        return new OpenClBackend();
    }
}
