package org.sparselinear.backend.opencl;

import org.sparselinear.api.Backend;
import org.sparselinear.tck.BackendConformanceTest;

/**
 * Runs the backend conformance kit on the OpenCL backend (on CI: PoCL, the CPU OpenCL driver).
 * Without OpenCL the kit is skipped with the probe's reason ("OpenCL unavailable: ...").
 *
 * <p>The check is a class-level condition ({@link RequiresOpenCl}), evaluated before any nested
 * family starts: an assumption failing inside {@link #backend()} would abort each test in the
 * kit's {@code @BeforeEach}, whose {@code @AfterEach} then fails on the scope it never opened.
 */
@RequiresOpenCl
class OpenClBackendConformanceTest extends BackendConformanceTest {

    @Override
    protected Backend backend() {
        return new OpenClBackend();
    }
}
