package org.sparselinear.topology;

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

/** The providers are registered in META-INF/services and found by name. */
class TopologyDiscoveryTest {

    @Test
    void bothProvidersAreRegistered() {
        assertInstanceOf(RandomTopologyProvider.class, Topologies.providers().get("random"));
        assertInstanceOf(UserTopologyProvider.class, Topologies.providers().get("user"));
    }

    @Test
    void randomByName() {
        Topology topology = Topologies.byName("random");
        assertInstanceOf(RandomTopology.class, topology);
        assertEquals(new RandomTopology().connect(30, 20, 0.9, 4), topology.connect(30, 20, 0.9, 4));
    }

    @Test
    void userByNameWithIntOrLongIndices() {
        Connectivity fromInts = Topologies.byName("user", Map.of("indices", new int[][] {{1, 0}, {2, 2}}))
                .connect(3, 2, 0, 0);
        Connectivity fromLongs = Topologies.byName("user", Map.of("indices", new long[][] {{1, 0}, {2, 2}}))
                .connect(3, 2, 0, 0);
        assertEquals(fromInts, fromLongs);
        assertEquals(Connectivity.fromCsr(2, 3, new int[] {0, 1, 2}, new int[] {2, 2}), fromInts);
    }

    @Test
    void unknownNameListsTheTopologiesFound() {
        assertMessage(() -> Topologies.byName("small-wrld"), "unknown topology 'small-wrld'", "random (", "user (");
    }

    @Test
    void unknownParameterListsTheAcceptedOnes() {
        assertMessage(() -> Topologies.byName("random", Map.of("density", 0.1)),
                "topology 'random' does not take the parameter(s) [density]; it accepts none");
        assertMessage(() -> Topologies.byName("user", Map.of("indices", new int[][] {{}, {}}, "index", 1)),
                "topology 'user' does not take the parameter(s) [index]; it accepts [indices]");
    }

    @Test
    void userNeedsIndicesOfAnArrayType() {
        assertMessage(() -> Topologies.byName("user"), "needs the parameter 'indices'", "got none");
        assertMessage(() -> Topologies.byName("user", Map.of("indices", "0,1")), "int[][] or long[][]", "got String");
        assertMessage(() -> Topologies.byName("user", Map.of("indices", new double[][] {{0}, {0}})), "got double[][]");
    }

    private static void assertMessage(Executable call, String... expected) {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, call);
        for (String part : expected) {
            assertTrue(e.getMessage().contains(part), () -> "expected '" + part + "' in: " + e.getMessage());
        }
    }
}
