package org.sparselinear.nn;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import org.junit.jupiter.api.Test;
import org.sparselinear.api.Backend;
import org.sparselinear.api.Rewiring;
import org.sparselinear.backend.cpu.CpuBackend;
import org.sparselinear.io.ModelFile;
import org.sparselinear.io.ModelFileException;
import org.sparselinear.io.Saveable;
import org.sparselinear.io.StateWriter;
import org.sparselinear.nn.sparsity.RigL;
import org.sparselinear.nn.sparsity.SET;

/**
 * Rewiring rules are kinds found through {@link org.sparselinear.io.RewiringProvider}: RigL and SET are rebuilt with
 * their settings, an unknown rule names the rules on the class path, and a rule's settings cannot take the layer's
 * own keys.
 */
class RewiringKindsTest {

    private static final Backend CPU = new CpuBackend(1);

    private static SparseLinear layer(Rewiring rule) {
        return new SparseLinear(
                12, 8, SparseLinear.options().sparsity(0.5).seed(3).backend(CPU).rewiring(rule));
    }

    @Test
    void builtInRulesAreRebuiltWithTheirSettings() throws IOException {
        RigL rigl = RigL.forPlannedSteps(500).withDeltaT(7).withAlpha(0.25);
        SparseLinear loaded = (SparseLinear) ModelFile.load(ModelFile.toBytes(layer(rigl)), "rigl", CPU);
        RigL rebuilt = assertInstanceOf(RigL.class, loaded.rewiring());
        assertEquals(7, rebuilt.deltaT());
        assertEquals(rigl.tEnd(), rebuilt.tEnd());
        assertEquals(0.25, rebuilt.alpha());

        SparseLinear set = (SparseLinear) ModelFile.load(ModelFile.toBytes(layer(SET.withZeta(0.2))), "set", CPU);
        assertEquals(0.2, assertInstanceOf(SET.class, set.rewiring()).zeta());
    }

    @Test
    void aRuleNoProviderOffersIsNamedWithTheRulesThereAre() {
        String header =
                new String(ModelFile.toBytes(layer(SET.withZeta(0.2))), java.nio.charset.StandardCharsets.ISO_8859_1);
        byte[] renamed = header.replace("\\\"rule\\\":\\\"SET\\\"", "\\\"rule\\\":\\\"Bad\\\"")
                .getBytes(java.nio.charset.StandardCharsets.ISO_8859_1);
        assertTrue(!java.util.Arrays.equals(renamed, ModelFile.toBytes(layer(SET.withZeta(0.2)))), "the rule renamed");
        ModelFileException e = assertThrows(ModelFileException.class, () -> ModelFile.load(renamed, "nope", CPU));
        assertTrue(e.getMessage().contains("unknown rewiring rule \"Bad\""), e.getMessage());
        assertTrue(e.getMessage().contains("[RigL, SET]"), e.getMessage());
        assertTrue(e.field().endsWith("rewiring"), e.field());
    }

    /** A rule whose settings take a key the layer writes itself. */
    private record Clashing() implements Rewiring, Saveable {
        @Override
        public String name() {
            return "clashing";
        }

        @Override
        public String kind() {
            return "clashing";
        }

        @Override
        public void describe(StateWriter out) {
            out.config("seed", 1);
        }
    }

    @Test
    void aRuleCannotWriteTheLayersOwnKeys() {
        IllegalArgumentException e =
                assertThrows(IllegalArgumentException.class, () -> ModelFile.toBytes(layer(new Clashing())));
        assertTrue(e.getMessage().contains("\"seed\""), e.getMessage());
    }
}
