package org.sparselinear.topology;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;
import org.sparselinear.api.Topology;

/** Each topology announces, before connecting, the number of connections it then makes. */
class ConnectionCountTest {

    private static void assertAnnounced(Topology topology, int in, int out, double sparsity) {
        assertEquals(
                topology.connect(in, out, sparsity, 5).nnz(),
                topology.connectionCount(in, out, sparsity),
                () -> topology + " at in = " + in + ", out = " + out + ", sparsity = " + sparsity);
    }

    @Test
    void randomMakesExactlyTheRoundedFraction() {
        assertAnnounced(new RandomTopology(), 300, 200, 0.9);
        assertEquals(6000, new RandomTopology().connectionCount(300, 200, 0.9));
    }

    @Test
    void wattsStrogatzMakesKPerOutputWhateverItsK() {
        assertAnnounced(WattsStrogatzTopology.fromSparsity(0.3), 300, 200, 0.9);
        assertAnnounced(WattsStrogatzTopology.withK(7, 0.3), 300, 200, 0.9);
        assertEquals(
                1400,
                WattsStrogatzTopology.withK(7, 0.3).connectionCount(300, 200, 0.1),
                "a fixed k ignores the sparsity");
    }

    @Test
    void userTopologyCountsItsListWhateverTheSparsity() {
        UserTopology user = UserTopology.of(new int[][] {{0, 1, 1}, {2, 0, 2}});
        assertAnnounced(user, 3, 2, 0.9);
        assertEquals(3, user.connectionCount(3, 2, 0));
    }

    @Test
    void smallWorldWithAFixedLambdaExpectsWhatThatLambdaGives() {
        SmallWorldTopology fixed = SmallWorldTopology.withLambda(1.5);
        long announced = fixed.connectionCount(2000, 1000, 0.99);
        long made = fixed.connect(2000, 1000, 0.99, 3).nnz();
        // A sum of independent Bernoulli draws: its spread is below sqrt(expected); 4 of them is a 1-in-15,000 miss.
        assertTrue(
                Math.abs(made - announced) <= 4 * Math.sqrt(announced),
                () -> "announced " + announced + ", made " + made);
        assertEquals(announced, fixed.connectionCount(2000, 1000, 0.5), "a fixed lambda ignores the sparsity");
        assertEquals(20_000, SmallWorldTopology.solvingLambda().connectionCount(2000, 1000, 0.99));
    }

    @Test
    void badArgumentsAreRejected() {
        var error = assertThrows(IllegalArgumentException.class, () -> new RandomTopology().connectionCount(3, 0, 0.5));
        assertEquals("out (output features) must be positive, got 0", error.getMessage());
        error = assertThrows(IllegalArgumentException.class, () -> WattsStrogatzTopology.withK(7, 0)
                .connectionCount(5, 4, 0.5));
        assertTrue(
                error.getMessage().contains("k = 7 (inputs per output) exceeds the layer's in = 5"),
                error.getMessage());
    }
}
