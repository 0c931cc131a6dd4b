package com.example.banded;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.function.Executable;
import org.sparselinear.api.Connectivity;
import org.sparselinear.api.Topologies;
import org.sparselinear.api.Topology;

/** The plugin is found through ServiceLoader, by name, next to the built-in topologies. */
class BandedTopologyTest {

    @Test
    void providersIncludeThePluginBesideTheBuiltIns() {
        assertInstanceOf(BandedTopologyProvider.class, Topologies.providers().get("banded"));
        assertTrue(Topologies.providers().containsKey("random"), "built-ins stay visible: " + Topologies.providers());
    }

    @Test
    void byNameGivesTheBandFromTheSparsity() {
        Topology topology = Topologies.byName("banded");
        assertInstanceOf(BandedTopology.class, topology);
        // in = 10, sparsity 0.7: width 3; outputs face inputs round(2.5 o) = 0, 3, 5, 8; the first band slides in.
        Connectivity c = topology.connect(10, 4, 0.7, 123);
        assertArrayEquals(new int[] {0, 3, 6, 9, 12}, c.rowPointers());
        assertArrayEquals(new int[] {0, 1, 2, 2, 3, 4, 4, 5, 6, 7, 8, 9}, c.columnIndices());
        assertEquals(c, Connectivity.fromCsr(4, 10, c.rowPointers(), c.columnIndices()), "a valid pattern");
        assertEquals(c, topology.connect(10, 4, 0.7, 456), "the seed is ignored");
    }

    @Test
    void byNameWithAWidth() {
        Connectivity c = Topologies.byName("banded", Map.of("width", 4)).connect(6, 6, 0.9, 0);
        // One below the diagonal and two above, slid inwards at both ends.
        assertArrayEquals(new int[] {0, 1, 2, 3, 0, 1, 2, 3, 1, 2, 3, 4, 2, 3, 4, 5, 2, 3, 4, 5, 2, 3, 4, 5},
                c.columnIndices());
        assertEquals(c, Topologies.byName("banded", Map.of("width", "4")).connect(6, 6, 0.9, 0));
    }

    @Test
    void everyRowHasTheWidthAndStaysNearTheDiagonal() {
        Connectivity c = BandedTopology.ofWidth(9).connect(1000, 300, 0.5, 0);
        for (int o = 0; o < 300; o++) {
            assertEquals(9, c.rowStart(o + 1) - c.rowStart(o));
            double diagonal = o * 1000.0 / 300;
            for (int k = c.rowStart(o); k < c.rowStart(o + 1); k++) {
                assertTrue(Math.abs(c.column(k) - diagonal) <= 9, "row " + o + " column " + c.column(k));
            }
        }
    }

    @Test
    void theConnectionCountIsKnownBeforeConnecting() {
        Topology fixed = BandedTopology.ofWidth(5);
        assertEquals(5 * 300, fixed.connectionCount(1000, 300, 0.99), "a fixed width ignores the sparsity");
        assertEquals(fixed.connect(1000, 300, 0.99, 0).nnz(), fixed.connectionCount(1000, 300, 0.99));
        Topology derived = BandedTopology.fromSparsity();
        assertEquals(derived.connect(1000, 300, 0.99, 0).nnz(), derived.connectionCount(1000, 300, 0.99));
        assertEquals(10 * 300, derived.connectionCount(1000, 300, 0.99));
    }

    @Test
    void badParametersAreClearErrors() {
        assertMessage(() -> Topologies.byName("banded", Map.of("band", 3)),
                "topology 'banded' does not take the parameter(s) [band]; it accepts [width]");
        assertMessage(() -> Topologies.byName("banded", Map.of("width", 2.5)),
                "parameter 'width' must be a whole number, got Double 2.5");
        assertMessage(() -> Topologies.byName("banded", Map.of("width", "wide")), "got String wide");
        assertMessage(() -> Topologies.byName("banded", Map.of("width", 0)),
                "topology 'banded': parameter 'width' must be a whole number >= 1, got Integer 0");
        assertMessage(() -> BandedTopology.ofWidth(0), "banded width (inputs per output) must be positive, got 0");
        assertMessage(() -> BandedTopology.ofWidth(11).connect(10, 5, 0.5, 0),
                "banded width = 11 (inputs per output) exceeds the layer's in = 10 inputs; use a width <= 10");
    }

    private static void assertMessage(Executable call, String expected) {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, call);
        assertTrue(e.getMessage().contains(expected), () -> "expected '" + expected + "' in: " + e.getMessage());
    }
}
