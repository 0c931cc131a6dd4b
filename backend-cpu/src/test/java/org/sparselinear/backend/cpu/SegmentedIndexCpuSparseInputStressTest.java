package org.sparselinear.backend.cpu;

import org.sparselinear.api.Backend;
import org.sparselinear.tck.SparseInputStressConformanceTest;

/**
 * The kit's sparse-input stress checks on segmented column indices (three low bits, as
 * {@link SegmentedIndexCpuBackendConformanceTest}), so that the sparse-input kernels' reading of a
 * weight wider than 65,536 inputs is checked with many threads and ragged batches too.
 */
class SegmentedIndexCpuSparseInputStressTest extends SparseInputStressConformanceTest {

    @Override
    protected Backend createBackend() {
        return new CpuBackend(4, true, 3);
    }
}
