package org.sparselinear.topology;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.sparselinear.topology.ConnectivityAssertions.assertValid;

import java.util.Map;
import org.junit.jupiter.api.Test;
import org.sparselinear.api.Connectivity;
import org.sparselinear.api.Topologies;

/**
 * The dense-units topology: the random topology's count, the first outputs fully connected, the
 * rest on the other outputs, the random topology itself at share 0, and its parameter by name.
 */
class DenseUnitsTopologyTest {

    @Test
    void theFirstOutputsTakeEveryInputAndTheRestGoToTheOthers() {
        int in = 300;
        int out = 40;
        double sparsity = 0.9;
        DenseUnitsTopology topology = new DenseUnitsTopology(0.5);
        Connectivity c = topology.connect(in, out, sparsity, 5);
        assertValid(c, in, out);
        long nnz = Math.round((1 - sparsity) * in * out);
        assertEquals(nnz, c.nnz());
        int dense = topology.denseOutputs(in, out, sparsity);
        assertEquals((int) Math.floor(0.5 * nnz / in), dense);
        assertTrue(dense > 0);
        for (int o = 0; o < dense; o++) {
            assertEquals(in, c.rowStart(o + 1) - c.rowStart(o), "dense output " + o);
        }
        int sparseOutputsWithFewerThanAll = 0;
        for (int o = dense; o < out; o++) {
            sparseOutputsWithFewerThanAll += c.rowStart(o + 1) - c.rowStart(o) < in ? 1 : 0;
        }
        assertEquals(out - dense, sparseOutputsWithFewerThanAll);
    }

    @Test
    void shareZeroIsTheRandomTopologyAndOneLeavesNothingForTheOthers() {
        Connectivity random = new RandomTopology().connect(500, 30, 0.95, 8);
        Connectivity zero = new DenseUnitsTopology(0).connect(500, 30, 0.95, 8);
        assertEquals(random, zero);
        DenseUnitsTopology all = new DenseUnitsTopology(1);
        Connectivity c = all.connect(10, 10, 0.5, 1);
        assertValid(c, 10, 10);
        assertEquals(50, c.nnz());
        assertEquals(5, all.denseOutputs(10, 10, 0.5));
        assertEquals(50, c.rowStart(10));
        assertEquals(50, c.rowStart(5));
        assertEquals(new RandomTopology().connect(4, 3, 0, 2), all.connect(4, 3, 0, 2));
    }

    @Test
    void theSameSeedGivesTheSamePattern() {
        DenseUnitsTopology topology = new DenseUnitsTopology(0.3);
        assertEquals(topology.connect(700, 50, 0.97, 3), topology.connect(700, 50, 0.97, 3));
    }

    @Test
    void byNameWithTheShareOrItsDefaultAndBadSharesRefused() {
        DenseUnitsTopology byDefault =
                assertInstanceOf(DenseUnitsTopology.class, Topologies.byName("dense-units", Map.of()));
        assertEquals(DenseUnitsTopologyProvider.DEFAULT_SHARE, byDefault.share());
        DenseUnitsTopology chosen =
                assertInstanceOf(DenseUnitsTopology.class, Topologies.byName("dense-units", Map.of("share", 0.25)));
        assertEquals(0.25, chosen.share());
        String message = assertThrows(
                        IllegalArgumentException.class, () -> Topologies.byName("dense-units", Map.of("share", 1.5)))
                .getMessage();
        assertTrue(message.contains("share"), message);
        assertThrows(IllegalArgumentException.class, () -> new DenseUnitsTopology(-0.1));
    }
}
