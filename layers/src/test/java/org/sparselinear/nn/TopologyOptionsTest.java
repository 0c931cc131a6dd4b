package org.sparselinear.nn;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Map;
import org.junit.jupiter.api.Test;
import org.sparselinear.api.Topologies;

/** {@code options().topology(name, parameters)} builds the named topology with its parameters. */
class TopologyOptionsTest {

    @Test
    void aNamedTopologyWithParametersConnectsAsTheProviderMakesIt() {
        SparseLinear layer = new SparseLinear(
                300,
                200,
                SparseLinear.options()
                        .sparsity(0.9)
                        .topology("watts-strogatz", Map.of("k", 7, "beta", "0.25"))
                        .seed(3));
        assertEquals(7 * 200, layer.connectivity().nnz(), "k = 7 per output, not the sparsity's 30");
        SparseLinear same = new SparseLinear(
                300,
                200,
                SparseLinear.options()
                        .sparsity(0.9)
                        .topology(Topologies.byName("watts-strogatz", Map.of("k", 7, "beta", 0.25)))
                        .seed(3));
        assertEquals(same.connectivity(), layer.connectivity());
        assertEquals("watts-strogatz", layer.topologyName());
    }

    @Test
    void badParametersFailAtOnceNamingTheParameter() {
        var options = SparseLinear.options();
        var error =
                assertThrows(IllegalArgumentException.class, () -> options.topology("small-world", Map.of("lamda", 2)));
        assertEquals(
                "topology 'small-world' does not take the parameter(s) [lamda]; it accepts [lambda]",
                error.getMessage());
        error = assertThrows(IllegalArgumentException.class, () -> options.topology("no-such", Map.of()));
        assertTrue(error.getMessage().startsWith("unknown topology 'no-such'"), error.getMessage());
    }
}
