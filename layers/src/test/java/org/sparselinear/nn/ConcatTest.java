package org.sparselinear.nn;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
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

/** {@link Ops#concat} and {@link Concat}: values, gradients to every input, shape checks, saving and resuming. */
class ConcatTest {

    @TempDir
    Path temp;

    @Test
    void concatPutsTheInputsSideBySideAlongTheFeatures() {
        Tensor a = Tensors.constant(new float[] {1, 2, 3, 4}, 2, 2);
        Tensor b = Tensors.constant(new float[] {10, 20, 30, 40, 50, 60}, 2, 3);
        Tensor c = Tensors.constant(new float[] {-1, -2}, 2, 1);
        Tensor joined = Ops.concat(a, b, c);
        assertArrayEquals(new int[] {2, 6}, joined.shape());
        assertArrayEquals(new float[] {1, 2, 10, 20, 30, -1, 3, 4, 40, 50, 60, -2}, joined.toArray(), 0f);
        assertFalse(joined.requiresGrad(), "constants in, no graph");
        assertArrayEquals(a.toArray(), Ops.concat(a).toArray(), 0f, "one tensor: a copy");
    }

    @Test
    void concatGradientsMatchFiniteDifferencesForEveryInput() {
        Parameter a = Tensors.leaf(Tensors.uniform(1, 6, -1, 1), 3, 2);
        Parameter b = Tensors.leaf(Tensors.uniform(2, 12, -1, 1), 3, 4);
        Parameter c = Tensors.leaf(Tensors.uniform(3, 3, -1, 1), 3, 1);
        GradientCheck.assertGradients(() -> Ops.concat(a, b, c), List.of(a, b, c));
    }

    @Test
    void eachInputGetsItsBlockOfTheGradientAndARepeatedInputBoth() {
        float[] r = Tensors.uniform(4, 2 * 5, -1, 1);
        Parameter a = Tensors.leaf(Tensors.uniform(5, 2 * 2, -1, 1), 2, 2);
        Tensor constant = Tensors.constant(Tensors.uniform(6, 2 * 3, -1, 1), 2, 3);
        Tensors.weightedSum(Ops.concat(a, constant), r).backward();
        assertArrayEquals(new float[] {r[0], r[1], r[5], r[6]}, Tensors.grad(a), 0f);
        assertEquals(null, constant.grad(), "a constant gets no gradient");

        float[] s = Tensors.uniform(7, 2 * 4, -1, 1);
        Parameter x = Tensors.leaf(Tensors.uniform(8, 2 * 2, -1, 1), 2, 2);
        Tensors.weightedSum(Ops.concat(x, x), s).backward();
        assertArrayEquals(new float[] {s[0] + s[2], s[1] + s[3], s[4] + s[6], s[5] + s[7]}, Tensors.grad(x), 0f);
    }

    @Test
    void concatRefusesWhatItCannotJoinClearly() {
        Tensor a = Tensors.constant(new float[6], 2, 3);
        IllegalArgumentException rows =
                assertThrows(IllegalArgumentException.class, () -> Ops.concat(a, Tensors.constant(new float[6], 3, 2)));
        assertEquals(
                "Ops.concat: all tensors need the same batch size, but tensor 0 has 2 rows and tensor 1 has 3",
                rows.getMessage());
        Tensor threeDimensional = Tensor.constant(Tensors.backend().upload(new float[6], 2, 3), 2, 3, 1);
        assertTrue(assertThrows(IllegalArgumentException.class, () -> Ops.concat(a, threeDimensional))
                .getMessage()
                .contains("tensor 1 has shape [2, 3, 1]; flatten it first"));
        assertEquals(
                "Ops.concat: concatenation needs at least one tensor, got none",
                assertThrows(IllegalArgumentException.class, Ops::concat).getMessage());
        assertEquals(
                "Ops.concat: tensor 1 is null",
                assertThrows(NullPointerException.class, () -> Ops.concat(a, null))
                        .getMessage());
        Tensor onOtherBackend = Tensor.constant(new CpuBackend(1).upload(new float[6], 2, 3));
        assertTrue(assertThrows(IllegalArgumentException.class, () -> Ops.concat(a, onOtherBackend))
                .getMessage()
                .contains("lives on backend"));
    }

    @Test
    void concatLayerRunsEveryBranchOnTheInput() {
        Linear left = new Linear(4, 3, true, 7);
        Linear right = new Linear(4, 2, true, 8);
        Concat concat = new Concat(left, new Sequential(right, new Tanh()));
        Tensor x = Tensors.constant(Tensors.uniform(9, 3 * 4, -1, 1), 3, 4);
        float[] l = left.forward(x).toArray();
        float[] r = new Tanh().forward(right.forward(x)).toArray();
        float[] expected = new float[3 * 5];
        for (int b = 0; b < 3; b++) {
            System.arraycopy(l, b * 3, expected, b * 5, 3);
            System.arraycopy(r, b * 2, expected, b * 5 + 3, 2);
        }
        assertArrayEquals(expected, concat.forward(x).toArray(), 0f);
        List<Parameter> parameters = new ArrayList<>(left.parameters());
        parameters.addAll(right.parameters());
        assertEquals(parameters, concat.parameters());
        assertTrue(concat.toString().startsWith("Concat(\n  (0): Linear(in_features=4"), concat.toString());
    }

    @Test
    void concatLayerGradientsMatchFiniteDifferencesThroughEveryBranch() {
        Concat concat = new Concat(new Linear(3, 2, true, 3), new Sequential(new Linear(3, 4, true, 4), new GELU()));
        Parameter input = Tensors.leaf(Tensors.uniform(10, 2 * 3, -1, 1), 2, 3);
        List<Parameter> leaves = new ArrayList<>(List.of(input));
        leaves.addAll(concat.parameters());
        GradientCheck.assertGradients(() -> concat.forward(input), leaves);
    }

    @Test
    void trainingModeAndClosingReachEveryBranch() {
        Dropout dropout = new Dropout(0.5, 1L);
        Linear linear = new Linear(2, 2, true, 1);
        Concat concat = new Concat(linear, dropout);
        concat.eval();
        assertFalse(dropout.isTraining());
        concat.train();
        assertTrue(dropout.isTraining());
        concat.close();
        assertTrue(linear.isClosed());
        assertEquals(
                "Concat needs at least one branch, got none",
                assertThrows(IllegalArgumentException.class, Concat::new).getMessage());
        assertThrows(NullPointerException.class, () -> new Concat(linear, null));
    }

    /** A model whose middle is two branches side by side, one of them sparse. */
    private static Sequential branchedModel(Backend backend, long seed) {
        return new Sequential(
                new Flatten(),
                new Concat(
                        new Linear(Models.FEATURES, 5, true, seed, backend),
                        new Sequential(
                                new SparseLinear(
                                        Models.FEATURES,
                                        6,
                                        SparseLinear.options()
                                                .sparsity(0.5)
                                                .seed(seed + 1)
                                                .backend(backend)),
                                new Tanh())),
                new ReLU(),
                new Linear(11, Models.CLASSES, true, seed + 2, backend));
    }

    @Test
    void aModelWithBranchesSavesLoadsAndRestoresToTheSameOutputs() throws IOException {
        Sequential model = Models.assertSavesLoadsAndRestores(
                seed -> branchedModel(Tensors.backend(), seed), temp.resolve("concat.safetensors"));
        assertTrue(
                new String(ModelFile.toBytes(model), StandardCharsets.ISO_8859_1).contains("\"1.1.0.weights\""),
                "the branches' tensors are named below the concatenation's position");
    }

    @Test
    void aFileWhoseConcatHoldsNoBranchIsRefusedByName() {
        FileSurgery surgery = new FileSurgery(ModelFile.toBytes(new Sequential(new Concat(new GELU()))));
        String model = surgery.metadata.get("model");
        String one = "\"branches\":[{\"class\":\"GELU\"}]";
        assertTrue(model.contains(one), model);
        surgery.metadata.put("model", model.replace(one, "\"branches\":[]"));
        ModelFileException e = assertThrows(
                ModelFileException.class, () -> ModelFile.load(surgery.bytes(), "damaged", Tensors.backend()));
        assertTrue(e.getMessage().contains("a Concat needs at least one branch"), e.getMessage());
        assertTrue(e.getMessage().contains("branches"), e.getMessage());
    }

    @Test
    void trainingWithBranchesResumesBitForBitFromACheckpoint() throws IOException {
        Backend cpu = new CpuBackend(2);
        Models.assertAdamTrainingResumesBitForBit(
                cpu, seed -> branchedModel(cpu, seed), temp.resolve("concat.ckpt.safetensors"));
    }
}
