package org.sparselinear.examples;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.sparselinear.api.Backend;
import org.sparselinear.api.Backends;
import org.sparselinear.api.GradMode;
import org.sparselinear.api.Layer;
import org.sparselinear.api.MemoryScope;
import org.sparselinear.api.Tensor;
import org.sparselinear.io.ModelFile;
import org.sparselinear.nn.Init;
import org.sparselinear.nn.LayerNorm;
import org.sparselinear.nn.Linear;
import org.sparselinear.nn.ReLU;
import org.sparselinear.nn.Sequential;
import org.sparselinear.nn.SparseLinear;
import org.sparselinear.spi.BackendProvider;

/**
 * A model saved on one backend loads on every other with the same parameters, to the bit, and the
 * same outputs within float tolerance. Runs for every pair of the backends available here (the
 * OpenCL one needs PoCL and, for PoCL, the JVM started with {@code LD_PRELOAD=libjsig.so}); skipped
 * when only one is available.
 */
class CrossBackendFileTest {

    @Test
    void filesMoveBetweenEveryPairOfAvailableBackends() throws IOException {
        List<Backend> backends = new ArrayList<>();
        for (BackendProvider provider : Backends.providers()) {
            if (provider.availability().available()) {
                backends.add(Backends.get(provider.name()));
            }
        }
        assumeTrue(backends.size() >= 2, "only one backend is available: " + Backends.describe());
        float[] input = new float[3 * 20];
        for (int i = 0; i < input.length; i++) {
            input[i] = (float) Math.cos(i * 0.7);
        }
        for (Backend from : backends) {
            Layer model = Init.withSeed(
                    9,
                    () -> new Sequential(
                            new SparseLinear(
                                    20, 30, SparseLinear.options().sparsity(0.8).backend(from)),
                            new LayerNorm(30, from),
                            new ReLU(),
                            new Linear(30, 4, true, Init.nextSeed(), from)));
            byte[] file = ModelFile.toBytes(model);
            float[] expected = predict(model, from, input);
            for (Backend to : backends) {
                Layer loaded = ModelFile.load(file, from.name() + "-to-" + to.name(), to);
                assertArrayEquals(file, ModelFile.toBytes(loaded), from.name() + " to " + to.name());
                float[] actual = predict(loaded, to, input);
                for (int i = 0; i < expected.length; i++) {
                    assertEquals(expected[i], actual[i], 1e-4f, from.name() + " to " + to.name() + ", output " + i);
                }
                loaded.close();
            }
            model.close();
        }
    }

    @SuppressWarnings("try") // the scope and the gradient mode are held for their effect
    private static float[] predict(Layer model, Backend backend, float[] input) {
        model.eval();
        try (MemoryScope scope = backend.newScope();
                GradMode off = GradMode.disable()) {
            return model.forward(Tensor.constant(backend.upload(input, 3, 20))).toArray();
        }
    }
}
