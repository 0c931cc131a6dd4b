package com.example.thirdparty;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.net.URL;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Collections;
import java.util.Enumeration;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.concurrent.Callable;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.sparselinear.api.Backend;
import org.sparselinear.api.GradMode;
import org.sparselinear.api.Layer;
import org.sparselinear.api.MemoryScope;
import org.sparselinear.api.Tensor;
import org.sparselinear.backend.cpu.CpuBackend;
import org.sparselinear.io.Checkpoint;
import org.sparselinear.io.ModelFile;
import org.sparselinear.io.ModelFileException;
import org.sparselinear.nn.Linear;
import org.sparselinear.nn.ReLU;
import org.sparselinear.nn.Sequential;
import org.sparselinear.nn.SparseLinear;
import org.sparselinear.nn.TrainingHooks;
import org.sparselinear.nn.TrainingProgress;
import org.sparselinear.nn.loss.CrossEntropyLoss;
import org.sparselinear.nn.optim.Optimizer;
import org.sparselinear.nn.sparsity.RigL;

/**
 * A layer and an optimizer from outside the library ({@link LowRankAdapter}, {@link Adagrad},
 * registered through this module's {@code META-INF/services}) train with built-in layers, save and
 * load by kind name, checkpoint and resume bit for bit, and a missing provider jar is named.
 */
class ThirdPartyPersistenceTest {

    private static final Backend CPU = new CpuBackend(2);
    private static final int FEATURES = 8;
    private static final int CLASSES = 3;
    private static final int BATCH = 8;
    private static final int BATCHES = 4;
    private static final float[] X = inputs();
    private static final int[] LABELS = {
        0, 1, 2, 1, 0, 2, 2, 1, 0, 0, 1, 2, 1, 2, 0, 1, 2, 0, 1, 1, 0, 2, 2, 0, 1, 0, 2, 1, 0, 1, 2, 2
    };

    @TempDir
    Path temp;

    private static float[] inputs() {
        SplittableRandom random = new SplittableRandom(42);
        float[] x = new float[BATCH * BATCHES * FEATURES];
        for (int i = 0; i < x.length; i++) {
            x[i] = (float) random.nextGaussian();
        }
        return x;
    }

    /** Built-in sparse layer rewired by RigL every 3 steps, the third-party adapter, built-in ReLU and Linear. */
    private static Sequential model() {
        return new Sequential(
                new SparseLinear(
                        FEATURES,
                        6,
                        SparseLinear.options()
                                .sparsity(0.5)
                                .seed(1)
                                .backend(CPU)
                                .rewiring(
                                        RigL.forPlannedSteps(1000).withDeltaT(3).withAlpha(0.5))),
                new LowRankAdapter(6, 2, 1.5, 2, CPU),
                new ReLU(),
                new Linear(6, CLASSES, true, 3, CPU));
    }

    /** Steps {@code from + 1 .. to}, batch {@code (step - 1) mod BATCHES}. */
    @SuppressWarnings("try") // the scope is held for what it frees
    private static void train(Layer model, Optimizer optimizer, int from, int to) {
        CrossEntropyLoss criterion = new CrossEntropyLoss();
        for (int step = from + 1; step <= to; step++) {
            int batch = (step - 1) % BATCHES;
            float[] x = java.util.Arrays.copyOfRange(X, batch * BATCH * FEATURES, (batch + 1) * BATCH * FEATURES);
            int[] labels = java.util.Arrays.copyOfRange(LABELS, batch * BATCH, (batch + 1) * BATCH);
            try (MemoryScope scope = CPU.newScope()) {
                optimizer.zeroGrad();
                Tensor loss = criterion.forward(model.forward(Tensor.constant(CPU.upload(x, BATCH, FEATURES))), labels);
                loss.backward();
                optimizer.step();
                TrainingHooks.afterStep(model);
            }
        }
    }

    private static float[] outputs(Layer model) {
        try (GradMode off = GradMode.disable();
                MemoryScope scope = CPU.newScope()) {
            return model.forward(Tensor.constant(CPU.upload(X, BATCH * BATCHES, FEATURES)))
                    .toArray();
        }
    }

    @Test
    void savesAndLoadsByKindNameWithBuiltInLayers() throws IOException {
        Sequential model = model();
        byte[] untrained = ModelFile.toBytes(model);
        train(model, new Adagrad(model.parameters(), 0.05), 0, 7);
        Path file = temp.resolve("mixed.safetensors");
        model.save(file);
        assertTrue(!java.util.Arrays.equals(untrained, Files.readAllBytes(file)), "training changed the parameters");

        Sequential loaded = Sequential.load(file);
        assertInstanceOf(LowRankAdapter.class, loaded.layers().get(1), "rebuilt by its provider, found by kind name");
        assertArrayEquals(Files.readAllBytes(file), ModelFile.toBytes(loaded), "every value survives the trip");
        Layer onCpu = ModelFile.load(file, CPU);
        assertArrayEquals(outputs(model), outputs(onCpu), "the same outputs, to the bit");
        assertTrue(ModelFile.inspect(file).toString().contains("LowRankAdapter(features=6, rank=2, alpha=1.5)"));

        Sequential intoCode = model();
        ModelFile.loadInto(intoCode, file);
        assertArrayEquals(outputs(model), outputs(intoCode));
        ModelFileException wrongRank = assertThrows(
                ModelFileException.class,
                () -> ModelFile.loadInto(
                        new Sequential(
                                model().layers().get(0),
                                new LowRankAdapter(6, 3, 1.5, 2, CPU),
                                new ReLU(),
                                new Linear(6, CLASSES, true, 3, CPU)),
                        file));
        assertEquals("layer 1 (" + LowRankAdapter.KIND + ")", wrongRank.field(), wrongRank.getMessage());
    }

    @Test
    void checkpointResumesBitForBit() throws IOException {
        Sequential straight = model();
        Adagrad straightOptimizer = new Adagrad(straight.parameters(), 0.05);
        train(straight, straightOptimizer, 0, 12);

        Sequential first = model();
        Adagrad firstOptimizer = new Adagrad(first.parameters(), 0.05);
        train(first, firstOptimizer, 0, 5);
        Path file = temp.resolve("step5.ckpt.safetensors");
        Checkpoint.save(file, first, firstOptimizer, new TrainingProgress(1, 1, 5, 0), Map.of());

        for (boolean rebuild : new boolean[] {false, true}) {
            Checkpoint checkpoint = Checkpoint.read(file);
            Layer resumed = rebuild ? checkpoint.buildModel(CPU) : model();
            Adagrad resumedOptimizer;
            if (rebuild) {
                resumedOptimizer = (Adagrad) checkpoint.buildOptimizer(resumed);
            } else {
                resumedOptimizer = new Adagrad(resumed.parameters(), 0.05);
                checkpoint.restore(resumed, resumedOptimizer);
            }
            assertEquals(5, resumedOptimizer.steps());
            train(resumed, resumedOptimizer, 5, 12);
            TrainingProgress end = new TrainingProgress(3, 0, 12, 0);
            assertArrayEquals(
                    ModelFile.toBytes(straight),
                    ModelFile.toBytes(resumed),
                    "parameters and connections after 12 steps, rebuilt=" + rebuild);
            assertArrayEquals(
                    Checkpoint.toBytes(straight, straightOptimizer, end, Map.of()),
                    Checkpoint.toBytes(resumed, resumedOptimizer, end, Map.of()),
                    "Adagrad's sums, rebuilt=" + rebuild);
        }
        assertNotEquals(
                ((SparseLinear) first.layers().get(0)).connectivity(),
                ((SparseLinear) straight.layers().get(0)).connectivity(),
                "RigL rewired after the checkpoint, so Adagrad's state followed the connections");
    }

    @Test
    void aMissingProviderJarIsNamed() throws IOException {
        Path modelFile = temp.resolve("m.safetensors");
        model().save(modelFile);
        Sequential builtIn = new Sequential(new Linear(FEATURES, CLASSES, true, 3, CPU));
        Path checkpointFile = temp.resolve("c.safetensors");
        Checkpoint.save(
                checkpointFile,
                builtIn,
                new Adagrad(builtIn.parameters(), 0.05),
                new TrainingProgress(0, 0, 0, 0),
                Map.of());

        ModelFileException layer =
                withoutThisJar(() -> assertThrows(ModelFileException.class, () -> Sequential.load(modelFile)));
        assertEquals("layer 1 (" + LowRankAdapter.KIND + ")", layer.field(), layer.getMessage());
        assertTrue(
                layer.getMessage().contains("unknown layer kind \"" + LowRankAdapter.KIND + "\""), layer.getMessage());
        assertTrue(layer.getMessage().contains("put the jar that defines it on the class path"), layer.getMessage());

        ModelFileException state =
                withoutThisJar(() -> assertThrows(ModelFileException.class, () -> Checkpoint.read(checkpointFile)));
        assertTrue(state.getMessage().contains("unknown optimizer kind \"" + Adagrad.KIND + "\""), state.getMessage());
        assertTrue(state.getMessage().contains("put the jar that defines it on the class path"), state.getMessage());
    }

    /**
     * Runs {@code action} with a context class loader that hides this module's
     * {@code META-INF/services} entries, as if its jar were not on the class path.
     */
    private static <T> T withoutThisJar(Callable<T> action) {
        Thread thread = Thread.currentThread();
        ClassLoader original = thread.getContextClassLoader();
        String ownLocation = LowRankAdapter.class
                .getProtectionDomain()
                .getCodeSource()
                .getLocation()
                .toString();
        thread.setContextClassLoader(new ClassLoader(original) {
            @Override
            public Enumeration<URL> getResources(String name) throws IOException {
                List<URL> urls = Collections.list(super.getResources(name));
                urls.removeIf(url -> url.toString().startsWith(ownLocation));
                return Collections.enumeration(urls);
            }
        });
        try {
            return action.call();
        } catch (Exception e) {
            throw new AssertionError(e);
        } finally {
            thread.setContextClassLoader(original);
        }
    }
}
