package org.sparselinear.nn;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;
import org.sparselinear.api.Backends;
import org.sparselinear.api.Connectivity;

class LayerMemoryTest {

    @Test
    void aLayerLargerThanTheHeapFailsBeforeAllocatingWithTheNumbers() {
        long maxHeap = Runtime.getRuntime().maxMemory();
        long connections = Math.min(Connectivity.MAX_NNZ - 1, maxHeap / 4);
        int side = 1_000_000;
        double sparsity = 1 - (double) connections / ((double) side * side);
        var error = assertThrows(IllegalStateException.class,
                () -> new SparseLinear(side, side, SparseLinear.options().sparsity(sparsity).seed(1)));
        String message = error.getMessage();
        assertTrue(message.contains("needs about") && message.contains("GiB of Java heap")
                && message.contains("is free") && message.contains("-Xmx"), message);
        assertTrue(message.contains(String.format(java.util.Locale.ROOT, "%,d connections", connections)), message);
    }

    @Test
    void theEstimateCountsPatternWeightsGradientsAndBias() {
        var backend = Backends.get();
        long nnz = 1000;
        long expected = backend.patternBytes(20, 30, nnz) + 8 * nnz + 8 * 20;
        assertEquals(expected, LayerMemory.backendBytes(backend, 30, 20, nnz, true));
        assertEquals(4L * 21 + 4 * nnz, LayerMemory.hostBytes(20, nnz));
    }
}
