package org.sparselinear.backend.cpu;

import org.sparselinear.api.Backend;
import org.sparselinear.tck.BackendConformanceTest;

/**
 * Runs the conformance kit with seven threads, so that the nnz partitions have parts that own
 * no rows, rows that span three or more parts, and several scatter partials to add.
 */
class SevenThreadCpuBackendConformanceTest extends BackendConformanceTest {

    @Override
    protected Backend backend() {
        return new CpuBackend(7, true);
    }
}
