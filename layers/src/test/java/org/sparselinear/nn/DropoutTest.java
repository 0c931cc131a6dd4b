package org.sparselinear.nn;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Path;
import java.util.Arrays;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.sparselinear.api.Backend;
import org.sparselinear.api.Layer;
import org.sparselinear.api.MemoryScope;
import org.sparselinear.api.Tensor;
import org.sparselinear.io.ModelFile;
import org.sparselinear.testing.Tensors;

/** {@link Dropout}: the masks, their rate and scale, the gradient through them, reproducibility and saving. */
class DropoutTest {

    private static final int ROWS = 50;
    private static final int COLUMNS = 400;

    @TempDir
    Path temp;

    /** One training pass on an input of all ones: the output, and the input gradient of sum(output * r). */
    @SuppressWarnings("try")
    private static float[][] pass(Dropout layer, float[] r) {
        Backend backend = Tensors.backend();
        try (MemoryScope scope = backend.newScope()) {
            float[] ones = new float[ROWS * COLUMNS];
            Arrays.fill(ones, 1f);
            Tensor x = Tensors.leaf(ones, ROWS, COLUMNS);
            Tensor y = layer.forward(x);
            Tensors.weightedSum(y, r).backward();
            return new float[][] {y.toArray(), Tensors.grad(x)};
        }
    }

    @Test
    void dropsAboutPAndScalesTheRestAndTheGradientFollowsTheMask() {
        double p = 0.3;
        Dropout layer = new Dropout(p, 7L);
        float[] r = Tensors.uniform(3L, ROWS * COLUMNS, -1, 1);
        float[][] result = pass(layer, r);
        float kept = (float) (1 / (1 - p));
        int dropped = 0;
        for (int i = 0; i < r.length; i++) {
            float y = result[0][i];
            assertTrue(y == 0f || y == kept, "element " + i + " is " + y);
            dropped += y == 0f ? 1 : 0;
            // d(sum(y * r))/dx = r * mask / (1 - p): zero where dropped, r * kept elsewhere.
            assertEquals(y == 0f ? 0f : r[i] * kept, result[1][i], 1e-6f, "gradient " + i);
        }
        // 20,000 Bernoulli(0.3) draws: the standard deviation of the rate is 0.0032.
        assertEquals(p, dropped / (double) r.length, 0.02);
    }

    @Test
    void masksDifferBetweenPassesAndRepeatWithTheSeed() {
        float[] r = new float[ROWS * COLUMNS];
        Dropout first = new Dropout(0.5, 11L);
        Dropout again = new Dropout(0.5, 11L);
        float[] pass1 = pass(first, r)[0];
        float[] pass2 = pass(first, r)[0];
        assertFalse(Arrays.equals(pass1, pass2), "a new mask per pass");
        assertArrayEquals(pass1, pass(again, r)[0]);
        assertArrayEquals(pass2, pass(again, r)[0]);
        assertFalse(Arrays.equals(pass1, pass(new Dropout(0.5, 12L), r)[0]), "another seed, another mask");
        assertEquals(2, first.passes());
    }

    @Test
    void evaluationModeAndZeroProbabilityAreTheIdentity() {
        Backend backend = Tensors.backend();
        try (MemoryScope scope = backend.newScope()) {
            Tensor x = Tensors.constant(Tensors.uniform(1L, 12, -1, 1), 3, 4);
            Dropout layer = new Dropout(0.5, 1L);
            layer.eval();
            assertSame(x, layer.forward(x));
            assertSame(x, new Dropout(0.0, 1L).forward(x));
        }
        assertThrows(IllegalArgumentException.class, () -> new Dropout(1.0));
        assertThrows(IllegalArgumentException.class, () -> new Dropout(-0.1));
    }

    @Test
    void aSavedDropoutGoesOnWithTheMasksOfTheOriginal() throws IOException {
        float[] r = new float[ROWS * COLUMNS];
        Dropout original = new Dropout(0.25, 21L);
        pass(original, r);
        pass(original, r);
        Path file = temp.resolve("dropout.safetensors");
        ModelFile.save(new Sequential(original), file);
        Layer loaded = ((Sequential) ModelFile.load(file)).layers().get(0);
        assertEquals("Dropout(p=0.25)", loaded.toString());
        Dropout restored = new Dropout(0.25, 99L);
        ModelFile.loadInto(new Sequential(restored), file);
        float[] next = pass(original, r)[0];
        assertArrayEquals(next, pass((Dropout) loaded, r)[0], "built from the file");
        assertArrayEquals(next, pass(restored, r)[0], "restored into a layer built in code");
    }
}
