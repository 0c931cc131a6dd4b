package org.sparselinear.examples;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import org.junit.jupiter.api.Test;
import org.sparselinear.api.Backend;
import org.sparselinear.api.Backends;
import org.sparselinear.api.GradMode;
import org.sparselinear.api.Layer;
import org.sparselinear.api.MemoryScope;
import org.sparselinear.api.Parameter;
import org.sparselinear.api.Tensor;
import org.sparselinear.device.DeviceBackend;
import org.sparselinear.io.ModelFile;
import org.sparselinear.nn.Init;
import org.sparselinear.nn.KWinners;
import org.sparselinear.nn.LayerNorm;
import org.sparselinear.nn.Linear;
import org.sparselinear.nn.ReLU;
import org.sparselinear.nn.Sequential;
import org.sparselinear.nn.SparseLinear;
import org.sparselinear.nn.TrainingHooks;
import org.sparselinear.nn.loss.CrossEntropyLoss;
import org.sparselinear.nn.optim.Adam;
import org.sparselinear.nn.optim.Optimizer;
import org.sparselinear.nn.sparsity.SET;
import org.sparselinear.spi.BackendProvider;

/**
 * {@code model.to(backend)} between the CPU and the OpenCL backend (PoCL here): the parameters,
 * connections and state arrive bit for bit both ways, the outputs agree within the kit's float
 * tolerance, a moved model trains on the device, and closing the model and its optimizer gives the
 * device pool back every byte with no leak reported. Lives here because this module has the OpenCL
 * backend on its class path; skipped with the probe's reason when OpenCL is unavailable.
 */
class ModelToDeviceTest {

    private static final int BATCH = 6;
    private static final int FEATURES = 20;
    private static final int COLLECTIONS = 20;

    @Test
    void aModelMovesToOpenClAndBackAndItsDeviceMemoryIsFreedOnClose() {
        BackendProvider opencl = Backends.providers().stream()
                .filter(p -> p.name().equals("opencl"))
                .findFirst()
                .orElse(null);
        assumeTrue(opencl != null, "the OpenCL backend is not on the class path");
        assumeTrue(opencl.availability().available(), opencl.availability().detail());
        Backend cpu = Backends.get("cpu");
        try (DeviceBackend<?> device = (DeviceBackend<?>) opencl.create()) {
            long inUseBefore = device.memoryUsage().bytesInUse();
            Sequential model = Init.withSeed(
                    5,
                    () -> new Sequential(
                            new SparseLinear(
                                    FEATURES,
                                    30,
                                    SparseLinear.options()
                                            .sparsity(0.8)
                                            .backend(cpu)
                                            .rewiring(SET.withZeta(0.3))),
                            new LayerNorm(30, cpu),
                            new ReLU(),
                            new KWinners(30, 0.5, KWinners.options().backend(cpu)),
                            new Linear(30, 4, true, Init.nextSeed(), cpu)));
            try (Adam adam = new Adam(model.parameters(), 0.01)) {
                train(model, adam, cpu, 3);
            }
            model.eval();
            byte[] onCpu = ModelFile.toBytes(model);

            Sequential moved = model.to(device);
            assertArrayEquals(onCpu, ModelFile.toBytes(moved), "parameters, connections and state arrive bit for bit");
            for (Parameter parameter : moved.parameters()) {
                assertSame(device, parameter.backend(), parameter + " lives on the device");
            }
            assertTrue(!moved.isTraining() && !moved.layers().get(3).isTraining(), "evaluation mode moves along");
            assertTrue(device.memoryUsage().bytesInUse() > inUseBefore, "the moved model holds device memory");
            assertWithinTolerance(predict(model, cpu), predict(moved, device));

            moved.train();
            try (Adam adam = new Adam(moved.parameters(), 0.01)) {
                train(moved, adam, device, 3);
            }
            moved.eval();
            Sequential back = moved.to(cpu);
            assertArrayEquals(
                    ModelFile.toBytes(moved), ModelFile.toBytes(back), "trained on the device, back bit for bit");
            assertWithinTolerance(predict(back, cpu), predict(moved, device));
            assertArrayEquals(onCpu, ModelFile.toBytes(model), "the original is untouched");

            moved.close();
            moved.close();
            assertEquals(
                    inUseBefore, device.memoryUsage().bytesInUse(), "closing the model frees all its device memory");
            IllegalStateException closed = assertThrows(IllegalStateException.class, () -> predict(moved, device));
            assertTrue(closed.getMessage().contains("was closed"), closed.getMessage());
            for (int i = 0; i < COLLECTIONS; i++) {
                System.gc();
            }
            assertEquals(0, device.leakedAllocations(), "nothing was left for the cleaner to reclaim");
            model.close();
            back.close();
        }
    }

    /** Trains {@code steps} steps on a fixed batch, with the rewiring hooks, every step in its own scope. */
    @SuppressWarnings("try") // the scope is held for what it frees
    private static void train(Layer model, Optimizer optimizer, Backend backend, int steps) {
        CrossEntropyLoss criterion = new CrossEntropyLoss();
        int[] labels = {0, 1, 2, 3, 0, 1};
        for (int step = 0; step < steps; step++) {
            try (MemoryScope scope = backend.newScope()) {
                optimizer.zeroGrad();
                Tensor loss = criterion.forward(model.forward(input(backend)), labels);
                loss.backward();
                optimizer.step();
                TrainingHooks.afterStep(model);
            }
        }
    }

    private static Tensor input(Backend backend) {
        float[] values = new float[BATCH * FEATURES];
        for (int i = 0; i < values.length; i++) {
            values[i] = (float) Math.cos(i * 0.61);
        }
        return Tensor.constant(backend.upload(values, BATCH, FEATURES));
    }

    @SuppressWarnings("try") // the scope and the gradient mode are held for their effect
    private static float[] predict(Layer model, Backend backend) {
        try (MemoryScope scope = backend.newScope();
                GradMode off = GradMode.disable()) {
            return model.forward(input(backend)).toArray();
        }
    }

    /** The kit's relative tolerance (1e-4), with a small absolute part for outputs near zero. */
    private static void assertWithinTolerance(float[] expected, float[] actual) {
        assertEquals(expected.length, actual.length);
        for (int i = 0; i < expected.length; i++) {
            assertEquals(expected[i], actual[i], 1e-4 * Math.abs(expected[i]) + 1e-5, "output " + i);
        }
    }
}
