package org.sparselinear.tck;

import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Nested;
import org.sparselinear.api.Backend;

/**
 * The contract of {@link org.sparselinear.spi.MemoryOps}: what every other family relies on: zeros, upload,
 * download, copy and fill keep every float bit for bit, and memory scopes own and free what was
 * made inside them.
 */
abstract class MemoryOpsContract {

    /** The backend under test, the same instance for every test of a run. */
    abstract Backend backend();

    @Nested
    @DisplayName("zeros, upload, download, copy, fill")
    class Matrices extends MemoryContract {
        @Override
        Backend backend() {
            return MemoryOpsContract.this.backend();
        }
    }

    @Nested
    @DisplayName("memory scopes")
    class Scopes extends ScopeContract {
        @Override
        Backend backend() {
            return MemoryOpsContract.this.backend();
        }
    }
}
