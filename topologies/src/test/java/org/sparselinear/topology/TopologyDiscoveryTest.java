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
    void smallWorldAndWattsStrogatzAreRegistered() {
        assertInstanceOf(
                SmallWorldTopologyProvider.class, Topologies.providers().get("small-world"));
        assertInstanceOf(
                WattsStrogatzTopologyProvider.class, Topologies.providers().get("watts-strogatz"));
    }

    @Test
    void smallWorldByNameSolvesOrFixesLambda() {
        Topology solving = Topologies.byName("small-world");
        assertEquals(SmallWorldTopology.solvingLambda().connect(300, 200, 0.9, 4), solving.connect(300, 200, 0.9, 4));
        Connectivity fixed = SmallWorldTopology.withLambda(1.5).connect(300, 200, 0.9, 4);
        assertEquals(
                fixed, Topologies.byName("small-world", Map.of("lambda", 1.5)).connect(300, 200, 0.9, 4));
        assertEquals(
                fixed,
                Topologies.byName("small-world", Map.of("lambda", " 1.5")).connect(300, 200, 0.9, 4));
    }

    @Test
    void wattsStrogatzByNameWithKAndBeta() {
        Connectivity expected = WattsStrogatzTopology.withK(7, 0.25).connect(300, 200, 0.9, 4);
        assertEquals(
                expected,
                Topologies.byName("watts-strogatz", Map.of("k", 7, "beta", 0.25))
                        .connect(300, 200, 0.9, 4));
        assertEquals(
                expected,
                Topologies.byName("watts-strogatz", Map.of("k", "7", "beta", "0.25"))
                        .connect(300, 200, 0.9, 4));
        assertEquals(
                expected,
                Topologies.byName("watts-strogatz", Map.of("k", 7L, "beta", 0.25f))
                        .connect(300, 200, 0.9, 4));
        assertEquals(
                WattsStrogatzTopology.fromSparsity(0.1).connect(300, 200, 0.9, 4),
                Topologies.byName("watts-strogatz").connect(300, 200, 0.9, 4));
    }

    @Test
    void badParametersOfSmallWorldAndWattsStrogatz() {
        assertMessage(
                () -> Topologies.byName("small-world", Map.of("beta", 0.1)),
                "topology 'small-world' does not take the parameter(s) [beta]; it accepts [lambda]");
        assertMessage(
                () -> Topologies.byName("small-world", Map.of("lambda", "steep")),
                "topology 'small-world': parameter 'lambda' must be a finite number, got String steep");
        assertMessage(
                () -> Topologies.byName("small-world", Map.of("lambda", -1)),
                "topology 'small-world': parameter 'lambda' must be >= 0, got Integer -1");
        assertMessage(
                () -> Topologies.byName("watts-strogatz", Map.of("p", 0.1)),
                "topology 'watts-strogatz' does not take the parameter(s) [p]; it accepts [beta, k]");
        assertMessage(
                () -> Topologies.byName("watts-strogatz", Map.of("k", 2.5)),
                "parameter 'k' must be a whole number, got Double 2.5");
        assertMessage(
                () -> Topologies.byName("watts-strogatz", Map.of("k", true)),
                "parameter 'k' must be a whole number, got Boolean true");
        assertMessage(
                () -> Topologies.byName("watts-strogatz", Map.of("beta", 2)),
                "topology 'watts-strogatz': parameter 'beta' must be in [0, 1], got Integer 2");
        assertMessage(
                () -> Topologies.byName("watts-strogatz", Map.of("k", 0)),
                "topology 'watts-strogatz': parameter 'k' must be a whole number >= 1, got Integer 0");
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
        assertMessage(
                () -> Topologies.byName("random", Map.of("density", 0.1)),
                "topology 'random' does not take the parameter(s) [density]; it accepts none");
        assertMessage(
                () -> Topologies.byName("user", Map.of("indices", new int[][] {{}, {}}, "index", 1)),
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
