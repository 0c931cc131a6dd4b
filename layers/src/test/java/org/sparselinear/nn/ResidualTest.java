package org.sparselinear.nn;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.sparselinear.api.Backend;
import org.sparselinear.api.Parameter;
import org.sparselinear.api.Tensor;
import org.sparselinear.backend.cpu.CpuBackend;
import org.sparselinear.io.ModelFile;
import org.sparselinear.io.ModelFileException;
import org.sparselinear.testing.GradientCheck;
import org.sparselinear.testing.Tensors;

/** {@link Ops#add} and {@link Residual}: values, gradients to both sides, shape checks, saving and resuming. */
class ResidualTest {

    @TempDir
    Path temp;

    @Test
    void addSumsElementWiseAndKeepsTheShape() {
        float[] a = {1, 2, 3, -4, 0.5f, 6};
        float[] b = {10, -2, 0.25f, 4, 0.5f, -7};
        Tensor sum = Ops.add(
                Tensor.constant(Tensors.backend().upload(a, 1, 6), 1, 2, 3),
                Tensor.constant(Tensors.backend().upload(b, 1, 6), 1, 2, 3));
        assertArrayEquals(new float[] {11, 0, 3.25f, 0, 1, -1}, sum.toArray(), 0f);
        assertArrayEquals(new int[] {1, 2, 3}, sum.shape());
        assertFalse(sum.requiresGrad(), "constants in, no graph");
    }

    @Test
    void addGradientsMatchFiniteDifferencesOnBothSides() {
        Parameter a = Tensors.leaf(Tensors.uniform(1, 12, -1, 1), 3, 4);
        Parameter b = Tensors.leaf(Tensors.uniform(2, 12, -1, 1), 3, 4);
        GradientCheck.assertGradients(() -> Ops.add(a, b), List.of(a, b));
    }

    @Test
    void theUpstreamGradientReachesEachInputOnceAndASharedInputTwice() {
        float[] r = Tensors.uniform(3, 6, -1, 1);
        Parameter a = Tensors.leaf(Tensors.uniform(4, 6, -1, 1), 2, 3);
        Tensor constant = Tensors.constant(Tensors.uniform(5, 6, -1, 1), 2, 3);
        Tensors.weightedSum(Ops.add(a, constant), r).backward();
        assertArrayEquals(r, Tensors.grad(a), 0f);
        assertEquals(null, constant.grad(), "a constant gets no gradient");

        Parameter x = Tensors.leaf(Tensors.uniform(6, 6, -1, 1), 2, 3);
        Tensors.weightedSum(Ops.add(x, x), r).backward();
        float[] twice = new float[r.length];
        for (int i = 0; i < r.length; i++) {
            twice[i] = 2 * r[i];
        }
        assertArrayEquals(twice, Tensors.grad(x), 0f, "d(x + x)/dx = 2");
    }

    @Test
    void addRefusesDifferentShapesAndNullsClearly() {
        Tensor a = Tensors.constant(new float[6], 2, 3);
        Tensor b = Tensors.constant(new float[6], 3, 2);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Ops.add(a, b));
        assertEquals(
                "Ops.add: element-wise addition needs equal shapes, got [2, 3] and [3, 2] (there is no broadcasting)",
                e.getMessage());
        Tensor sameMatrixOtherShape = Tensor.constant(Tensors.backend().upload(new float[6], 2, 3), 2, 3, 1);
        assertThrows(IllegalArgumentException.class, () -> Ops.add(a, sameMatrixOtherShape));
        assertEquals(
                "Ops.add: the second tensor is null",
                assertThrows(NullPointerException.class, () -> Ops.add(a, null)).getMessage());
        Tensor onOtherBackend = Tensor.constant(new CpuBackend(1).upload(new float[6], 2, 3));
        assertTrue(assertThrows(IllegalArgumentException.class, () -> Ops.add(a, onOtherBackend))
                .getMessage()
                .contains("different backends"));
    }

    @Test
    void residualAddsTheInputToTheInnerOutput() {
        Linear inner = new Linear(4, 4, true, 7);
        Residual residual = new Residual(inner);
        Tensor x = Tensors.constant(Tensors.uniform(8, 3 * 4, -1, 1), 3, 4);
        float[] expected = x.toArray();
        float[] branch = inner.forward(x).toArray();
        for (int i = 0; i < expected.length; i++) {
            expected[i] += branch[i];
        }
        assertArrayEquals(expected, residual.forward(x).toArray(), 0f);
        assertEquals(inner.parameters(), residual.parameters());
        assertEquals("Residual(\n  (inner): " + inner + "\n)", residual.toString());
    }

    @Test
    void residualGradientsMatchFiniteDifferencesThroughBothPaths() {
        Linear linear = new Linear(5, 5, true, 3);
        Residual residual = new Residual(new Sequential(linear, new Tanh()));
        Parameter input = Tensors.leaf(Tensors.uniform(9, 2 * 5, -1, 1), 2, 5);
        List<Parameter> leaves = new ArrayList<>(List.of(input));
        leaves.addAll(residual.parameters());
        assertEquals(3, leaves.size());
        GradientCheck.assertGradients(() -> residual.forward(input), leaves);
    }

    @Test
    void residualRefusesAnInnerLayerThatChangesTheShape() {
        Residual residual = new Residual(new Linear(4, 3, true, 1));
        Tensor x = Tensors.constant(new float[8], 2, 4);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> residual.forward(x));
        assertEquals(
                "Residual: the inner layer maps shape [2, 4] to [2, 3]; a residual connection adds its input to its "
                        + "output, so they need the same shape",
                e.getMessage());
        assertThrows(NullPointerException.class, () -> new Residual(null));
    }

    @Test
    void trainingModeAndClosingReachTheInnerLayer() {
        Dropout dropout = new Dropout(0.5, 1L);
        Residual residual = new Residual(new Sequential(new Linear(3, 3, true, 1), dropout));
        residual.eval();
        assertFalse(dropout.isTraining());
        residual.train();
        assertTrue(dropout.isTraining());
        Linear inner = new Linear(2, 2, true, 1);
        new Residual(inner).close();
        assertTrue(inner.isClosed());
    }

    /** A model with a skip connection around a block holding every new activation. */
    private static Sequential skipModel(Backend backend, long seed) {
        return new Sequential(
                new Flatten(),
                new Linear(Models.FEATURES, 8, true, seed, backend),
                new GELU(),
                new Residual(new Sequential(new Linear(8, 8, true, seed + 1, backend), new Tanh())),
                new Residual(new Sigmoid()),
                new Linear(8, Models.CLASSES, true, seed + 2, backend));
    }

    @Test
    void aModelWithSkipConnectionsSavesLoadsAndRestoresToTheSameOutputs() throws IOException {
        Sequential model = Models.assertSavesLoadsAndRestores(
                seed -> skipModel(Tensors.backend(), seed), temp.resolve("residual.safetensors"));
        assertTrue(
                ModelFile.toBytes(model).length > 0
                        && new String(ModelFile.toBytes(model), java.nio.charset.StandardCharsets.ISO_8859_1)
                                .contains("\"3.0.0.weight\""),
                "the inner block's tensors are named below the residual's position");
    }

    @Test
    void aFileWhoseResidualHoldsNoneOrTwoLayersIsRefusedByName() {
        FileSurgery surgery = new FileSurgery(ModelFile.toBytes(new Sequential(new Residual(new GELU()))));
        String model = surgery.metadata.get("model");
        String one = "[{\"class\":\"GELU\"}]";
        assertTrue(model.contains("\"inner\":" + one), model);
        for (String inner : List.of("[]", "[{\"class\":\"GELU\"},{\"class\":\"Tanh\"}]")) {
            surgery.metadata.put("model", model.replace(one, inner));
            ModelFileException e = assertThrows(
                    ModelFileException.class, () -> ModelFile.load(surgery.bytes(), "damaged", Tensors.backend()));
            assertTrue(e.getMessage().contains("a Residual holds exactly one layer"), e.getMessage());
            assertTrue(e.getMessage().contains("inner"), e.getMessage());
        }
    }

    @Test
    void trainingWithSkipConnectionsResumesBitForBitFromACheckpoint() throws IOException {
        Backend cpu = new CpuBackend(2);
        Models.assertAdamTrainingResumesBitForBit(
                cpu, seed -> skipModel(cpu, seed), temp.resolve("skip.ckpt.safetensors"));
    }
}
