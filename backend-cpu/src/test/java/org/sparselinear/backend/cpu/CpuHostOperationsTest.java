package org.sparselinear.backend.cpu;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.Set;
import org.junit.jupiter.api.Test;

/** The CPU backend has a kernel of its own for every operation, so none is left to a host fallback. */
class CpuHostOperationsTest {

    @Test
    void noOperationRunsOnAHostFallback() {
        try (CpuBackend backend = new CpuBackend(1)) {
            assertEquals(Set.of(), backend.hostOperations());
        }
    }
}
