package org.sparselinear.nn;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Path;
import java.util.Map;
import java.util.function.Function;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.sparselinear.api.Backend;
import org.sparselinear.api.Connectivity;
import org.sparselinear.api.Layer;
import org.sparselinear.backend.cpu.CpuBackend;
import org.sparselinear.data.DataLoader;
import org.sparselinear.data.Dataset;
import org.sparselinear.io.Checkpoint;
import org.sparselinear.io.ModelFile;
import org.sparselinear.io.ModelFileException;
import org.sparselinear.io.ModelSummary;
import org.sparselinear.nn.optim.Adagrad;
import org.sparselinear.nn.optim.Adam;
import org.sparselinear.nn.optim.Optimizer;
import org.sparselinear.nn.optim.SGD;

/**
 * Checkpoints resume bit for bit: two epochs straight, or one epoch, a checkpoint, a restore into a
 * fresh model and optimizer, and one more epoch, give the same weights, connections, rewiring
 * counters, duty cycles and optimizer state, to the bit, on the CPU backend with the same threads.
 */
class CheckpointTest {

    private static final Backend CPU = new CpuBackend(2);
    private static final Dataset DATA = Models.data(96, 21);
    private static final long SHUFFLE = 1234;

    @TempDir
    Path temp;

    private static DataLoader loader() {
        return new DataLoader(DATA, 8, true, SHUFFLE, true);
    }

    /** The end state of a run: the model file and the checkpoint bytes at a fixed progress. */
    private static byte[][] state(Layer model, Optimizer optimizer) {
        TrainingProgress same = new TrainingProgress(0, 0, 0, 0);
        return new byte[][] {ModelFile.toBytes(model), Checkpoint.toBytes(model, optimizer, same, Map.of())};
    }

    private void resumesBitForBit(Function<Layer, Optimizer> optimizerFor, boolean rebuildFromFile) throws IOException {
        Sequential straight = Models.rich(CPU);
        Optimizer straightOptimizer = optimizerFor.apply(straight);
        long straightSteps = Models.train(straight, straightOptimizer, loader(), 1, 0, 2, 0, -1, CPU);

        Sequential first = Models.rich(CPU);
        Optimizer firstOptimizer = optimizerFor.apply(first);
        long steps = Models.train(first, firstOptimizer, loader(), 1, 0, 1, 0, -1, CPU);
        Connectivity afterOne = ((SparseLinear) first.layers().get(2)).connectivity();
        Path file = temp.resolve("epoch1.ckpt.safetensors");
        Checkpoint.save(
                file,
                first,
                firstOptimizer,
                TrainingProgress.afterEpoch(1, steps, SHUFFLE),
                Map.of("note", "after one epoch"));

        Checkpoint checkpoint = Checkpoint.read(file);
        assertEquals(new TrainingProgress(1, 0, 12, SHUFFLE), checkpoint.progress());
        assertEquals(Map.of("note", "after one epoch"), checkpoint.extras());
        Layer resumed = rebuildFromFile ? checkpoint.buildModel(CPU) : Models.rich(CPU);
        Optimizer resumedOptimizer;
        if (rebuildFromFile) {
            resumedOptimizer = checkpoint.buildOptimizer(resumed);
            assertEquals(optimizerFor.apply(resumed).toString(), resumedOptimizer.toString(), "the saved settings");
        } else {
            resumedOptimizer = optimizerFor.apply(resumed);
            checkpoint.restore(resumed, resumedOptimizer);
        }
        TrainingProgress progress = checkpoint.progress();
        long resumedSteps = Models.train(
                resumed,
                resumedOptimizer,
                new DataLoader(DATA, 8, true, progress.shuffleSeed(), true),
                progress.completedEpochs() + 1,
                0,
                2,
                progress.step(),
                -1,
                CPU);

        assertEquals(straightSteps, resumedSteps);
        byte[][] expected = state(straight, straightOptimizer);
        byte[][] actual = state(resumed, resumedOptimizer);
        assertArrayEquals(expected[0], actual[0], "model: weights, connections, counters, duty cycles");
        assertArrayEquals(expected[1], actual[1], "optimizer state");
        assertNotEquals(
                afterOne,
                ((SparseLinear) straight.layers().get(2)).connectivity(),
                "RigL rewired during the second epoch, so the test covers resumed rewiring");
    }

    @Test
    void adamRunResumesBitForBitIntoAModelBuiltInCode() throws IOException {
        resumesBitForBit(model -> new Adam(model.parameters(), 0.01), false);
    }

    @Test
    void sgdRunResumesBitForBitIntoAModelRebuiltFromTheFile() throws IOException {
        resumesBitForBit(model -> new SGD(model.parameters(), 0.05, 0.9, true, 1e-4), true);
    }

    @Test
    void adagradRunWithEveryOptionResumesBitForBitIntoAModelRebuiltFromTheFile() throws IOException {
        resumesBitForBit(model -> new Adagrad(model.parameters(), 0.05, 0.01, 1e-4, 0.1, 1e-10), true);
    }

    @Test
    void aRunStoppedMidEpochResumesBitForBit() throws IOException {
        Sequential straight = Models.rich(CPU);
        Adam straightOptimizer = new Adam(straight.parameters(), 0.01);
        Models.train(straight, straightOptimizer, loader(), 1, 0, 2, 0, -1, CPU);

        Sequential stopped = Models.rich(CPU);
        Adam stoppedOptimizer = new Adam(stopped.parameters(), 0.01);
        long steps = Models.train(stopped, stoppedOptimizer, loader(), 1, 0, 2, 0, 5, CPU);
        assertEquals(12 + 5, steps);
        byte[] bytes =
                Checkpoint.toBytes(stopped, stoppedOptimizer, new TrainingProgress(1, 5, steps, SHUFFLE), Map.of());

        Checkpoint checkpoint = Checkpoint.read(bytes, "mid");
        Sequential resumed = Models.rich(CPU);
        Adam resumedOptimizer = new Adam(resumed.parameters(), 0.01);
        checkpoint.restore(resumed, resumedOptimizer);
        TrainingProgress p = checkpoint.progress();
        Models.train(
                resumed,
                resumedOptimizer,
                loader(),
                p.completedEpochs() + 1,
                p.batchesIntoEpoch(),
                2,
                p.step(),
                -1,
                CPU);
        assertArrayEquals(state(straight, straightOptimizer)[0], state(resumed, resumedOptimizer)[0]);
        assertArrayEquals(state(straight, straightOptimizer)[1], state(resumed, resumedOptimizer)[1]);
    }

    @Test
    void optimizerStateFollowsConnectionsGivenUnsorted() throws IOException {
        Sequential model = Models.plain(CPU, 3);
        Adam adam = new Adam(model.parameters(), 0.01);
        Models.train(model, adam, loader(), 1, 0, 1, 0, 4, CPU);
        TrainingProgress progress = new TrainingProgress(0, 4, 4, SHUFFLE);
        byte[] sorted = Checkpoint.toBytes(model, adam, progress, Map.of());

        // The same checkpoint with layer 1's connections, weights and moments all in reverse order.
        FileSurgery surgery = new FileSurgery(sorted);
        long[] indices = (long[]) surgery.tensor("1.indices").data();
        int nnz = indices.length / 2;
        long[] reversedIndices = new long[indices.length];
        for (int k = 0; k < nnz; k++) {
            reversedIndices[k] = indices[nnz - 1 - k];
            reversedIndices[nnz + k] = indices[2 * nnz - 1 - k];
        }
        surgery.replace("1.indices", new long[] {2, nnz}, reversedIndices);
        for (String name :
                new String[] {"1.weights", "optimizer.1.weights.exp_avg", "optimizer.1.weights.exp_avg_sq"}) {
            float[] values = (float[]) surgery.tensor(name).data();
            float[] reversed = new float[nnz];
            for (int k = 0; k < nnz; k++) {
                reversed[k] = values[nnz - 1 - k];
            }
            surgery.replace(name, new long[] {nnz}, reversed);
        }
        Checkpoint permuted = Checkpoint.read(surgery.bytes(), "permuted");

        Layer rebuilt = permuted.buildModel(CPU);
        Optimizer rebuiltAdam = permuted.buildOptimizer(rebuilt);
        assertArrayEquals(
                sorted, Checkpoint.toBytes(rebuilt, rebuiltAdam, progress, Map.of()), "built from the checkpoint");
        Sequential target = Models.plain(CPU, 4);
        Adam targetAdam = new Adam(target.parameters(), 0.01);
        permuted.restore(target, targetAdam);
        assertArrayEquals(
                sorted, Checkpoint.toBytes(target, targetAdam, progress, Map.of()), "restored into one built in code");
    }

    @Test
    void restoreChecksTheOptimizerBeforeChangingAnything() throws IOException {
        Sequential model = Models.plain(CPU, 3);
        byte[] bytes = Checkpoint.toBytes(
                model, new SGD(model.parameters(), 0.1, 0.9), new TrainingProgress(2, 0, 40, 1), Map.of());
        Checkpoint checkpoint = Checkpoint.read(bytes, "ckpt");
        Sequential target = Models.plain(CPU, 4);
        byte[] before = ModelFile.toBytes(target);
        Object[][] cases = {
            {new Adam(target.parameters(), 0.1), "holds the state of SGD"},
            {new SGD(target.parameters(), 0.1), "this one has no momentum"},
            {new SGD(target.parameters().subList(0, 2), 0.1, 0.9), "but this one updates"},
            {new SGD(Models.plain(CPU, 5).parameters(), 0.1, 0.9), "not in the model"},
        };
        for (Object[] c : cases) {
            ModelFileException e =
                    assertThrows(ModelFileException.class, () -> checkpoint.restore(target, (Optimizer) c[0]));
            assertEquals("optimizer", e.field(), e.getMessage());
            assertTrue(e.getMessage().contains((String) c[1]), e.getMessage());
            assertArrayEquals(before, ModelFile.toBytes(target), "the model is unchanged: " + e.getMessage());
        }
        ModelFileException wrongModel = assertThrows(
                ModelFileException.class,
                () -> checkpoint.restore(
                        Models.rich(CPU), new SGD(Models.rich(CPU).parameters(), 0.1, 0.9)));
        assertTrue(wrongModel.getMessage().contains("model (Sequential)"), wrongModel.getMessage());

        var notSaveable = assertThrows(
                IllegalArgumentException.class,
                () -> Checkpoint.toBytes(
                        model,
                        new Optimizer() {
                            @Override
                            public java.util.List<org.sparselinear.api.Parameter> parameters() {
                                return model.parameters();
                            }

                            @Override
                            public void step() {}

                            @Override
                            public void zeroGrad() {}

                            @Override
                            public void remapState(org.sparselinear.api.Parameter parameter, int[] sourcePositions) {}

                            @Override
                            public void close() {}
                        },
                        new TrainingProgress(0, 0, 0, 0),
                        Map.of()));
        assertTrue(notSaveable.getMessage().contains("implements Saveable"), notSaveable.getMessage());
    }

    @Test
    void modelFilesAndCheckpointsAreToldApart() throws IOException {
        Sequential model = Models.plain(CPU, 3);
        ModelFileException notCheckpoint = assertThrows(
                ModelFileException.class, () -> Checkpoint.read(ModelFile.toBytes(model), "model.safetensors"));
        assertTrue(notCheckpoint.getMessage().contains("this is a model file"), notCheckpoint.getMessage());

        byte[] checkpoint = Checkpoint.toBytes(
                model, new Adam(model.parameters(), 0.1), new TrainingProgress(3, 0, 9, 8), Map.of());
        Layer fromCheckpoint = ModelFile.load(checkpoint, "c", CPU);
        assertArrayEquals(
                ModelFile.toBytes(model),
                ModelFile.toBytes(fromCheckpoint),
                "ModelFile reads the model of a checkpoint");
        Path file = temp.resolve("c.safetensors");
        java.nio.file.Files.write(file, checkpoint);
        ModelSummary summary = ModelFile.inspect(file);
        assertEquals(Checkpoint.FORMAT, summary.format());
        assertTrue(summary.training().get("progress").contains("\"completed_epochs\":3"), summary.toString());
        assertTrue(summary.training().get("optimizer").contains("Adam"), summary.toString());

        byte[] stray = new FileSurgery(checkpoint)
                .replace("optimizer.9.weights.exp_avg", new long[] {1}, new float[1])
                .bytes();
        ModelFileException e = assertThrows(ModelFileException.class, () -> Checkpoint.read(stray, "stray"));
        assertEquals("tensor 'optimizer.9.weights.exp_avg'", e.field(), e.getMessage());
        byte[] missing = new FileSurgery(checkpoint)
                .remove("optimizer.1.weights.exp_avg_sq")
                .bytes();
        e = assertThrows(ModelFileException.class, () -> Checkpoint.read(missing, "missing"));
        assertEquals("tensor 'optimizer.1.weights.exp_avg_sq'", e.field(), e.getMessage());
        FileSurgery badProgress = new FileSurgery(checkpoint);
        badProgress.metadata.put(
                "checkpoint",
                badProgress.metadata.get("checkpoint").replace("\"completed_epochs\":3", "\"completed_epochs\":-3"));
        e = assertThrows(ModelFileException.class, () -> Checkpoint.read(badProgress.bytes(), "progress"));
        assertEquals("__metadata__.checkpoint.progress", e.field(), e.getMessage());
        assertTrue(
                e.getMessage().contains("field \"completed_epochs\": expected an integer >= 0, got -3"),
                e.getMessage());
    }
}
