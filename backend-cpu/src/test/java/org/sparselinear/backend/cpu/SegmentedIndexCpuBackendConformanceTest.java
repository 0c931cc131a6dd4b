package org.sparselinear.backend.cpu;

import org.sparselinear.api.Backend;
import org.sparselinear.tck.BackendConformanceTest;

/**
 * Runs the conformance kit on patterns whose column indices keep only three low bits
 * ({@link CompactColumns}), so that every row of the kit's small layers splits into segments of
 * eight columns: the encoding layers wider than 65,536 inputs get, on every kernel that reads the
 * column indices.
 */
class SegmentedIndexCpuBackendConformanceTest extends BackendConformanceTest {

    @Override
    protected Backend backend() {
        return new CpuBackend(2, true, 3);
    }
}
