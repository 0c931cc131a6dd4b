package org.sparselinear.nn;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.util.Locale;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.sparselinear.api.Backends;
import org.sparselinear.api.Connectivity;
import org.sparselinear.api.Topology;

class LayerMemoryTest {

    @Test
    void aLayerLargerThanTheHeapFailsBeforeAllocatingWithTheNumbers() {
        long maxHeap = Runtime.getRuntime().maxMemory();
        long connections = Math.min(Connectivity.MAX_NNZ - 1, maxHeap / 4);
        int side = 1_000_000;
        double sparsity = 1 - (double) connections / ((double) side * side);
        var error = assertThrows(
                IllegalStateException.class,
                () -> new SparseLinear(
                        side, side, SparseLinear.options().sparsity(sparsity).seed(1)));
        String message = error.getMessage();
        assertTrue(
                message.contains("needs about")
                        && message.contains("GiB of Java heap")
                        && message.contains("is free")
                        && message.contains("-Xmx"),
                message);
        assertTrue(message.contains(String.format(java.util.Locale.ROOT, "%,d connections", connections)), message);
    }

    /**
     * Like a plugin's band: {@code width} inputs per output whatever the sparsity, and says so through
     * {@link Topology#connectionCount}; connecting is never reached when the memory check fails.
     */
    private record FixedWidthBand(int width, AtomicInteger connections) implements Topology {

        @Override
        public String name() {
            return "fixed-band";
        }

        @Override
        public long connectionCount(int in, int out, double sparsity) {
            return (long) width * out;
        }

        @Override
        public Connectivity connect(int in, int out, double sparsity, long seed) {
            connections.incrementAndGet();
            int[] rowPointers = new int[out + 1];
            int[] columns = new int[width * out];
            for (int o = 0; o < out; o++) {
                rowPointers[o + 1] = (o + 1) * width;
                for (int t = 0; t < width; t++) {
                    columns[o * width + t] = (int) ((long) o * (in - width) / Math.max(1, out - 1)) + t;
                }
            }
            return Connectivity.fromCsr(out, in, rowPointers, columns);
        }
    }

    @Test
    void aTopologyThatIgnoresTheSparsityIsCheckedAgainstItsOwnCount() {
        long maxHeap = Runtime.getRuntime().maxMemory();
        int out = 1_000_000;
        int width = (int) Math.min(2000, maxHeap / 4 / out + 1);
        assumeTrue((long) width * out * 4 > maxHeap, "the heap holds 2e9 connections; nothing to check");
        AtomicInteger connects = new AtomicInteger();
        // At 99.99 % the library's rule would give 1e8 connections; the band makes width * out.
        var error = assertThrows(
                IllegalStateException.class,
                () -> new SparseLinear(
                        1_000_000,
                        out,
                        SparseLinear.options()
                                .sparsity(0.9999)
                                .topology(new FixedWidthBand(width, connects))
                                .seed(1)));
        assertTrue(
                error.getMessage().contains(String.format(Locale.ROOT, "%,d connections", (long) width * out)),
                error.getMessage());
        assertEquals(0, connects.get(), "fails before the pattern is built");
    }

    @Test
    void aTopologyFarSparserThanTheSparsityIsBuiltWhereTheRuleWouldNotFit() {
        AtomicInteger connects = new AtomicInteger();
        // Dense by the rule: 50,000^2 = 2.5e9 connections, beyond int32 indexing; the band has 150,000.
        SparseLinear layer = new SparseLinear(
                50_000,
                50_000,
                SparseLinear.options()
                        .sparsity(0)
                        .topology(new FixedWidthBand(3, connects))
                        .seed(1));
        assertEquals(150_000, layer.connectivity().nnz());
        assertEquals(1, connects.get());
    }

    @Test
    void aDenseLayerLargerThanTheHeapFailsBeforeAllocatingWithTheNumbers() {
        int side = 46_000; // 2.1e9 weights: 8.5 GB drawn on the heap, 25 GB in all on the CPU backend
        assumeTrue(12L * side * side > Runtime.getRuntime().maxMemory(), "the heap holds the layer; nothing to check");
        var error = assertThrows(InsufficientMemoryException.class, () -> new Linear(side, side, true, 1));
        String message = error.getMessage();
        assertTrue(message.startsWith("Linear(46000, 46000) with 2,116,000,000 weights needs about"), message);
        assertTrue(message.contains("GiB of Java heap") && message.contains("-Xmx"), message);
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
