package org.sparselinear.spark;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.ml.linalg.Vector;
import org.apache.spark.ml.linalg.Vectors;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.sparselinear.api.Backend;
import org.sparselinear.api.Backends;
import org.sparselinear.api.Layer;
import org.sparselinear.api.MemoryScope;
import org.sparselinear.api.Parameter;
import org.sparselinear.io.ModelFile;
import org.sparselinear.nn.Sequential;
import org.sparselinear.nn.SparseLinear;
import org.sparselinear.nn.loss.CrossEntropyLoss;
import org.sparselinear.nn.optim.SGD;

class ParameterAveragingTest {

    private static final int WIDTH = 12;
    private static final int CLASSES = 3;

    @AfterEach
    void removeHook() {
        ParameterAveraging.hook = null;
    }

    /** Rows with a learnable label (the argmax of three feature sums), alternately dense and sparse. */
    private static List<Row> rows(int n, long seed, boolean sparse) {
        Random random = new Random(seed);
        List<Row> rows = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            double[] x = new double[WIDTH];
            for (int j = 0; j < WIDTH; j++) {
                x[j] = random.nextInt(3) == 0 ? 0 : random.nextGaussian();
            }
            double[] sums = new double[CLASSES];
            for (int j = 0; j < WIDTH; j++) {
                sums[j % CLASSES] += x[j];
            }
            int label = sums[0] >= sums[1] && sums[0] >= sums[2] ? 0 : sums[1] >= sums[2] ? 1 : 2;
            Vector v = Vectors.dense(x);
            rows.add(RowFactory.create(sparse ? v.toSparse() : v, (double) label));
        }
        return rows;
    }

    private static JavaRDD<Row> rdd(List<Row> rows, int partitions) {
        return JavaSparkContext.fromSparkContext(LocalSpark.session().sparkContext())
                .parallelize(rows, partitions);
    }

    private static NetworkSpec spec(String rewiring) {
        return new NetworkSpec(WIDTH, new int[] {8}, CLASSES, 0.5, "uniform", "random", rewiring, 1, 7);
    }

    private static byte[] fit(
            List<Row> rows, int partitions, NetworkSpec spec, TrainingSettings settings, Path checkpoint) {
        return new ParameterAveraging(spec, settings, Objective.classification(CLASSES), checkpoint, r -> {})
                .fit(rdd(rows, partitions));
    }

    @Test
    void oneRoundOfPlainSgdOnPartitionsIsOneStepOnTheUnionOfTheirBatches() throws IOException {
        int partitions = 4;
        int perPartition = 6;
        List<Row> rows = rows(partitions * perPartition, 1, false);
        TrainingSettings settings = new TrainingSettings("sgd", 0.5, 0, partitions * perPartition, 1, 1, 3);
        assertSameAsFullBatchSteps(fit(rows, partitions, spec("none"), settings, null), rows, 1, 0.5, 0);
    }

    @Test
    void roundsOfMomentumSgdOnUnequalShardsAreStepsOnTheGlobalBatch() throws IOException {
        // Spark slices 10 rows into partitions of 3, 3 and 4; the global batch of 10 gives them local batches of
        // 3, 3 and 4 (the remainder to the largest), so each K = 1 round is one step on all 10 rows only if the
        // average weights the partitions by their samples, and the momentum carries over only if it is averaged.
        List<Row> rows = rows(10, 8, false);
        TrainingSettings settings = new TrainingSettings("sgd", 0.3, 0.9, 10, 3, 1, 3);
        assertSameAsFullBatchSteps(fit(rows, 3, spec("none"), settings, null), rows, 3, 0.3, 0.9);
    }

    @Test
    void theGlobalBatchIsSplitOverThePartitionsHoldingData() {
        TrainingSettings settings = new TrainingSettings("sgd", 0.1, 0, 10, 1, 1, 3);
        assertArrayEquals(new int[] {3, 0, 4, 3}, settings.localBatches(List.of(5L, 0L, 9L, 5L)));
        IllegalArgumentException tooSmall = assertThrows(
                IllegalArgumentException.class,
                () -> settings.localBatches(List.of(1L, 1L, 1L, 1L, 1L, 1L, 1L, 1L, 1L, 1L, 1L)));
        assertTrue(tooSmall.getMessage().contains("at least 11"), tooSmall.getMessage());
    }

    /** {@code trained} equals {@code steps} steps of SGD on all of {@code rows} at once, from the same start. */
    private static void assertSameAsFullBatchSteps(
            byte[] trained, List<Row> rows, int steps, double learningRate, double momentum) throws IOException {
        Backend backend = Backends.get();
        try (Sequential expected = spec("none").build(backend);
                SGD sgd = new SGD(expected.parameters(), learningRate, momentum);
                Layer actual = ModelFile.load(trained, "trained", backend)) {
            List<Vector> features = new ArrayList<>();
            int[] labels = new int[rows.size()];
            for (int i = 0; i < rows.size(); i++) {
                features.add((Vector) rows.get(i).get(0));
                labels[i] = (int) rows.get(i).getDouble(1);
            }
            for (int s = 0; s < steps; s++) {
                try (MemoryScope step = backend.newScope()) {
                    sgd.zeroGrad();
                    new CrossEntropyLoss()
                            .forward(expected.forward(FeatureRows.tensor(backend, features, WIDTH)), labels)
                            .backward();
                    sgd.step();
                }
            }
            List<Parameter> want = expected.parameters();
            List<Parameter> got = actual.parameters();
            assertEquals(want.size(), got.size());
            boolean moved = false;
            try (Sequential initial = spec("none").build(backend)) {
                for (int p = 0; p < want.size(); p++) {
                    float[] w = backend.download(want.get(p).value());
                    float[] g = backend.download(got.get(p).value());
                    float[] start = backend.download(initial.parameters().get(p).value());
                    for (int i = 0; i < w.length; i++) {
                        assertEquals(w[i], g[i], 1e-5f, "parameter " + p + " element " + i);
                        moved |= w[i] != start[i];
                    }
                }
            }
            assertTrue(moved, "the steps changed the parameters");
        }
    }

    @Test
    void aTaskThatFailsOnceIsRetriedWithTheSameResult() {
        List<Row> rows = rows(64, 2, true);
        TrainingSettings settings = new TrainingSettings("adam", 0.01, 0, 8, 2, 2, 5);
        byte[] clean = fit(rows, 2, spec("none"), settings, null);
        AtomicInteger failures = new AtomicInteger();
        ParameterAveraging.hook = (partition, plan, attempt) -> {
            if (partition == 1 && plan.round() == 2 && attempt == 0) {
                failures.incrementAndGet();
                throw new IllegalStateException("injected failure of the first attempt");
            }
        };
        byte[] retried = fit(rows, 2, spec("none"), settings, null);
        assertEquals(1, failures.get(), "the hook failed one task");
        assertArrayEquals(clean, retried);
    }

    @Test
    void aRunStoppedAfterARoundResumesFromTheDriversCheckpoint(@TempDir Path dir) throws IOException {
        List<Row> rows = rows(48, 3, false);
        TrainingSettings settings = new TrainingSettings("sgd", 0.1, 0.9, 16, 2, 2, 9);
        byte[] uninterrupted = fit(rows, 2, spec("none"), settings, dir.resolve("whole.ckpt"));

        Path checkpoint = dir.resolve("stopped.ckpt");
        ParameterAveraging.hook = (partition, plan, attempt) -> {
            if (plan.round() == 3) {
                throw new IllegalStateException("injected: the cluster goes away in round 3");
            }
        };
        assertThrows(Exception.class, () -> fit(rows, 2, spec("none"), settings, checkpoint));
        assertTrue(Files.exists(checkpoint), "rounds 1 and 2 left a checkpoint");
        // 24 rows per partition, global batches of 16 (8 per partition): epochs of 3 steps; K = 2 gives rounds [1, 2],
        // [3], [4, 5], [6]
        assertEquals(
                3, org.sparselinear.io.Checkpoint.read(checkpoint).progress().step());
        ParameterAveraging.hook = null;
        byte[] resumed = fit(rows, 2, spec("none"), settings, checkpoint);
        assertArrayEquals(uninterrupted, resumed);
    }

    @Test
    void setRewiresOnTheDriverAndEveryPartitionKeepsTheSamePattern() throws IOException {
        List<Row> rows = rows(64, 4, false);
        TrainingSettings settings = new TrainingSettings("sgd", 0.2, 0.9, 8, 2, 3, 11);
        byte[] trained = fit(rows, 2, spec("set"), settings, null);
        Backend backend = Backends.get();
        try (Sequential initial = spec("set").build(backend);
                Sequential after = (Sequential) ModelFile.load(trained, "trained", backend)) {
            SparseLinear first = (SparseLinear) initial.layers().get(0);
            SparseLinear rewired = (SparseLinear) after.layers().get(0);
            assertEquals(first.nnz(), rewired.nnz());
            assertNotEquals(first.connectivity(), rewired.connectivity(), "SET changed the connections");
        }
    }

    @Test
    void rigLGrowsTheMergedCandidatesOfAllPartitionsOnTheDriverAtItsUpdateStep() throws IOException {
        // 32 rows per partition, global batches of 4 (2 per partition): 16 steps per epoch, 20 epochs = 320 planned
        // steps, so RigL
        // (deltaT = 100, tEnd = 240, alpha = 0.3) changes floor(0.15 (1 + cos(pi 100 / 240)) 48) = 9 of the first
        // layer's 48 connections at step 100, and nothing at step 200.
        List<Row> rows = rows(64, 6, false);
        List<RoundReport> reports = new ArrayList<>();
        TrainingSettings settings = new TrainingSettings("sgd", 0.05, 0, 4, 20, 16, 17);
        byte[] trained = new ParameterAveraging(
                        spec("rigl"), settings, Objective.classification(CLASSES), null, reports::add)
                .fit(rdd(rows, 2));
        assertTrue(reports.stream().anyMatch(r -> r.lastStep() == 100), "a round ends at RigL's update step");
        Backend backend = Backends.get();
        try (Sequential initial = spec("rigl").build(backend);
                Sequential after = (Sequential) ModelFile.load(trained, "trained", backend)) {
            int[][] before =
                    ((SparseLinear) initial.layers().get(0)).connectivity().toCoo();
            int[][] now = ((SparseLinear) after.layers().get(0)).connectivity().toCoo();
            java.util.Set<Long> old = new java.util.HashSet<>();
            for (int k = 0; k < before[0].length; k++) {
                old.add((long) before[0][k] * WIDTH + before[1][k]);
            }
            int grown = 0;
            for (int k = 0; k < now[0].length; k++) {
                grown += old.contains((long) now[0][k] * WIDTH + now[1][k]) ? 0 : 1;
            }
            assertEquals(48, now[0].length);
            assertEquals(9, grown, "RigL replaced 9 connections once, for every partition");
        }
    }
}
