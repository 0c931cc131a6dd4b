package org.sparselinear.nn.train;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.sparselinear.api.Backend;
import org.sparselinear.api.Layer;
import org.sparselinear.api.MemoryScope;
import org.sparselinear.api.Parameter;
import org.sparselinear.api.Tensor;
import org.sparselinear.data.Batch;
import org.sparselinear.data.DataLoader;
import org.sparselinear.data.Dataset;
import org.sparselinear.data.Sample;
import org.sparselinear.io.Checkpoint;
import org.sparselinear.io.JsonCodec;
import org.sparselinear.nn.Flatten;
import org.sparselinear.nn.Linear;
import org.sparselinear.nn.Models;
import org.sparselinear.nn.ReLU;
import org.sparselinear.nn.Sequential;
import org.sparselinear.nn.SparseLinear;
import org.sparselinear.nn.loss.CrossEntropyLoss;
import org.sparselinear.nn.loss.MSELoss;
import org.sparselinear.nn.optim.GradientClipping;
import org.sparselinear.nn.optim.LearningRateSchedule;
import org.sparselinear.nn.optim.LearningRateScheduler;
import org.sparselinear.nn.optim.SGD;
import org.sparselinear.nn.sparsity.RigL;
import org.sparselinear.testing.Tensors;

class TrainerTest {

    private final Backend backend = Tensors.backend();
    private final Dataset train = Models.data(96, 1);
    private final Dataset test = Models.data(40, 2);

    private static List<float[]> values(Layer model) {
        List<float[]> values = new ArrayList<>();
        for (Parameter parameter : model.parameters()) {
            values.add(parameter.toArray());
        }
        return values;
    }

    private static void assertBitsEqual(List<float[]> expected, List<float[]> actual) {
        assertEquals(expected.size(), actual.size());
        for (int i = 0; i < expected.size(); i++) {
            assertArrayEquals(expected.get(i), actual.get(i), "parameter " + i);
        }
    }

    @Test
    void fitTrainsExactlyAsTheHandWrittenLoop() {
        Sequential byHand = Models.rich(backend);
        SGD byHandOptimizer = new SGD(byHand.parameters(), 0.05, 0.9);
        long steps = Models.train(
                byHand, byHandOptimizer, new DataLoader(train, 16, true, 7, true), 1, 0, 2, 0, -1, backend);

        Sequential model = Models.rich(backend);
        Trainer trainer = Trainer.builder(model, new SGD(model.parameters(), 0.05, 0.9), new CrossEntropyLoss())
                .epochs(2)
                .batchSize(16)
                .shuffleSeed(7)
                .dropLast(true)
                .build();
        List<EpochMetrics> history = trainer.fit(train);

        assertEquals(2, history.size());
        assertEquals(steps, trainer.step());
        assertEquals(12, history.get(1).step());
        assertEquals(96, history.get(0).train().samples());
        assertBitsEqual(values(byHand), values(model));
    }

    @Test
    @SuppressWarnings("try")
    void clippingAndTheScheduleRunInsideTheLoopAsInAHandWrittenOne() {
        LearningRateSchedule schedule = LearningRateSchedule.linearWarmup(0.5, 4);
        Sequential byHand =
                new Sequential(new Flatten(), new Linear(Models.FEATURES, Models.CLASSES, true, 8, backend));
        SGD optimizer = new SGD(byHand.parameters(), 0.5, 0.0);
        LearningRateScheduler scheduler = new LearningRateScheduler(optimizer, schedule);
        CrossEntropyLoss criterion = new CrossEntropyLoss();
        for (Batch batch : new DataLoader(train, 24, true, 9, false).epoch(1)) {
            try (MemoryScope scope = backend.newScope()) {
                Tensor loss = criterion.forward(byHand.forward(batch.features(backend)), batch.labels());
                optimizer.zeroGrad();
                loss.backward();
                GradientClipping.clipByGlobalNorm(byHand.parameters(), 0.05);
                optimizer.step();
            }
            scheduler.step();
        }

        Sequential model = new Sequential(new Flatten(), new Linear(Models.FEATURES, Models.CLASSES, true, 8, backend));
        SGD trained = new SGD(model.parameters(), 0.5, 0.0);
        Trainer.builder(model, trained, new CrossEntropyLoss())
                .batchSize(24)
                .shuffleSeed(9)
                .learningRateSchedule(schedule)
                .clipGradientNorm(0.05)
                .build()
                .fit(train);

        assertBitsEqual(values(byHand), values(model));
        assertEquals(optimizer.learningRate(), trained.learningRate());
    }

    @Test
    void evaluateMatchesMetricsComputedByHandFromThePredictions() {
        Sequential model = Models.plain(backend, 3);
        Trainer trainer = Trainer.builder(model, new SGD(model.parameters(), 0.1, 0.0), new CrossEntropyLoss())
                .epochs(1)
                .topK(2)
                .evaluationBatchSize(7)
                .build();
        trainer.fit(train);
        Metrics metrics = trainer.evaluate(test);
        float[][] logits = trainer.predict(test);

        double loss = 0;
        int correct = 0;
        int inTop2 = 0;
        for (int i = 0; i < test.size(); i++) {
            float[] row = logits[i];
            int label = test.get(i).label();
            double max = Double.NEGATIVE_INFINITY;
            int argmax = 0;
            for (int c = 0; c < row.length; c++) {
                if (row[c] > max) {
                    max = row[c];
                    argmax = c;
                }
            }
            double sum = 0;
            int larger = 0;
            for (float v : row) {
                sum += Math.exp(v - max);
                larger += v > row[label] ? 1 : 0;
            }
            loss += Math.log(sum) + max - row[label];
            correct += argmax == label ? 1 : 0;
            inTop2 += larger < 2 ? 1 : 0;
        }
        assertEquals(40, metrics.samples());
        assertEquals(loss / test.size(), metrics.loss(), 1e-5);
        assertEquals((double) correct / test.size(), metrics.accuracy());
        assertEquals((double) inTop2 / test.size(), metrics.topKAccuracy());
        assertTrue(metrics.topKAccuracy() >= metrics.accuracy());
        assertTrue(Double.isNaN(metrics.meanSquaredError()));
    }

    @Test
    void predictOfOneSampleIsItsRowOfTheBatchAndASparseRowIsTheDenseOne() {
        Sequential model = new Sequential(
                new Linear(Models.FEATURES, 8, true, 5, backend), new ReLU(), new Linear(8, 3, true, 6, backend));
        Trainer trainer = Trainer.builder(model, new SGD(model.parameters(), 0.1, 0.0), new CrossEntropyLoss())
                .build();
        float[][] samples = new float[5][];
        for (int i = 0; i < samples.length; i++) {
            samples[i] = test.get(i).values();
        }
        float[][] batch = trainer.predict(samples);
        for (int i = 0; i < samples.length; i++) {
            // a batch of one runs other kernels than a batch of five: equal up to rounding
            assertArrayEquals(batch[i], trainer.predict(samples[i]), 1e-6f);
        }
        float[] dense = new float[Models.FEATURES];
        dense[2] = 1.5f;
        dense[9] = -0.25f;
        assertArrayEquals(
                trainer.predict(dense), trainer.predictSparse(new int[] {2, 9}, new float[] {1.5f, -0.25f}), 1e-6f);
        IllegalArgumentException unsorted = assertThrows(
                IllegalArgumentException.class, () -> trainer.predictSparse(new int[] {9, 2}, new float[] {1f, 1f}));
        assertTrue(unsorted.getMessage().contains("strictly increasing"), unsorted.getMessage());
    }

    @Test
    void regressionReportsMseAndMaeOfThePredictions() {
        SplittableRandom random = new SplittableRandom(4);
        float[][] x = new float[30][4];
        float[][] y = new float[30][2];
        for (int i = 0; i < 30; i++) {
            for (int j = 0; j < 4; j++) {
                x[i][j] = (float) random.nextGaussian();
            }
            y[i][0] = x[i][0] - 2 * x[i][1];
            y[i][1] = x[i][2] + x[i][3];
        }
        Dataset data = Dataset.of(x, y);
        Linear model = new Linear(4, 2, true, 9, backend);
        Trainer trainer = Trainer.builder(model, new SGD(model.parameters(), 0.05, 0.0), new MSELoss())
                .epochs(3)
                .batchSize(8)
                .validation(data)
                .build();
        List<EpochMetrics> history = trainer.fit(data);
        assertTrue(
                history.get(2).validation().loss() < history.get(0).validation().loss(), "the loss falls");

        Metrics metrics = trainer.evaluate(data);
        float[][] predicted = trainer.predict(x);
        double squared = 0;
        double absolute = 0;
        for (int i = 0; i < 30; i++) {
            for (int j = 0; j < 2; j++) {
                double error = (double) predicted[i][j] - y[i][j];
                squared += error * error;
                absolute += Math.abs(error);
            }
        }
        assertEquals(squared / 60, metrics.meanSquaredError(), 1e-9);
        assertEquals(absolute / 60, metrics.meanAbsoluteError(), 1e-9);
        assertEquals(metrics.meanSquaredError(), metrics.loss(), 1e-5);
        assertTrue(Double.isNaN(metrics.accuracy()));
        IllegalArgumentException wrongMetric =
                assertThrows(IllegalArgumentException.class, () -> Metric.ACCURACY.of(metrics));
        assertTrue(wrongMetric.getMessage().contains("MSE"), wrongMetric.getMessage());
    }

    @Test
    void theLossMustFitTheTargets() {
        Sequential model = Models.plain(backend, 3);
        Trainer trainer = Trainer.builder(model, new SGD(model.parameters(), 0.1, 0.0), new MSELoss())
                .build();
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> trainer.fit(train));
        assertTrue(
                e.getMessage().contains("class labels") && e.getMessage().contains("CrossEntropyLoss"), e.getMessage());
    }

    @Test
    void aRunResumedFromTheFirstEpochsCheckpointEndsBitForBitAsTheWholeRun(@TempDir Path folder) throws Exception {
        LearningRateSchedule schedule = LearningRateSchedule.stepDecay(0.05, 5, 0.5);
        Sequential whole = Models.rich(backend);
        Trainer.builder(whole, new SGD(whole.parameters(), 0.05, 0.9), new CrossEntropyLoss())
                .epochs(2)
                .batchSize(16)
                .shuffleSeed(3)
                .learningRateSchedule(schedule)
                .validation(test)
                .listeners(CheckpointListener.everyEpochIn(folder))
                .build()
                .fit(train);
        assertTrue(Files.exists(folder.resolve("epoch-2.ckpt")));

        Sequential resumed = Models.rich(backend);
        Trainer second = Trainer.builder(resumed, new SGD(resumed.parameters(), 0.05, 0.9), new CrossEntropyLoss())
                .epochs(2)
                .batchSize(16)
                .learningRateSchedule(schedule)
                .validation(test)
                .resumeFrom(Checkpoint.read(folder.resolve("epoch-1.ckpt")))
                .build();
        List<EpochMetrics> history = second.fit(train);

        assertEquals(1, history.size());
        assertEquals(2, history.get(0).epoch());
        assertBitsEqual(values(whole), values(resumed));
        assertEquals(whole.toString(), resumed.toString());
    }

    private Sequential riglWithoutHorizon() {
        return new Sequential(
                new Flatten(),
                new SparseLinear(
                        Models.FEATURES,
                        Models.CLASSES,
                        SparseLinear.options()
                                .sparsity(0.5)
                                .seed(4)
                                .backend(backend)
                                .rewiring(RigL.defaults().withDeltaT(2))));
    }

    @Test
    void rigLWithoutAHorizonTakesItFromFitAndResumesBitForBit(@TempDir Path folder) throws Exception {
        Sequential whole = riglWithoutHorizon();
        SparseLinear layer = (SparseLinear) whole.layers().get(1);
        int[] before = layer.connectivity().toCoo()[1];
        Trainer.builder(whole, new SGD(whole.parameters(), 0.1, 0.9), new CrossEntropyLoss())
                .epochs(2)
                .batchSize(8)
                .listeners(CheckpointListener.everyEpochIn(folder))
                .build()
                .fit(train);
        assertEquals(18, ((RigL) layer.rewiring()).tEnd(), "75 % of 2 epochs x 12 batches");
        assertNotEquals(
                java.util.Arrays.toString(before),
                java.util.Arrays.toString(layer.connectivity().toCoo()[1]));

        Sequential resumed = riglWithoutHorizon();
        Trainer.builder(resumed, new SGD(resumed.parameters(), 0.1, 0.9), new CrossEntropyLoss())
                .epochs(2)
                .batchSize(8)
                .resumeFrom(Checkpoint.read(folder.resolve("epoch-1.ckpt")))
                .build()
                .fit(train);
        assertBitsEqual(values(whole), values(resumed));
        assertEquals(whole.toString(), resumed.toString());
    }

    @Test
    void earlyStoppingStopsAfterPatienceAndRestoresTheBestEpoch() {
        Sequential model = Models.plain(backend, 5);
        List<List<float[]>> atEvaluation = new ArrayList<>();
        TrainingListener snapshots = new TrainingListener() {
            @Override
            public void onEpochEvaluated(TrainingRun run, EpochMetrics metrics) {
                atEvaluation.add(values(run.model()));
            }
        };
        // no epoch improves on the first by 10 nats, so the run stops after 1 + patience epochs
        EarlyStopping stopping = EarlyStopping.on(Metric.LOSS).patience(2).minDelta(10);
        Trainer trainer = Trainer.builder(model, new SGD(model.parameters(), 0.1, 0.9), new CrossEntropyLoss())
                .epochs(10)
                .batchSize(16)
                .validation(test)
                .listeners(snapshots, stopping)
                .build();
        List<EpochMetrics> history = trainer.fit(train);

        assertEquals(3, history.size());
        assertEquals(1, stopping.bestEpoch());
        assertEquals(history.get(0).validation().loss(), stopping.bestValue());
        assertBitsEqual(atEvaluation.get(0), values(model));
        assertNotEquals(
                java.util.Arrays.toString(atEvaluation.get(2).get(0)),
                java.util.Arrays.toString(values(model).get(0)));
    }

    @Test
    void earlyStoppingWithoutAValidationSetSaysSo() {
        Sequential model = Models.plain(backend, 5);
        Trainer trainer = Trainer.builder(model, new SGD(model.parameters(), 0.1, 0.9), new CrossEntropyLoss())
                .listeners(EarlyStopping.on(Metric.ACCURACY))
                .build();
        IllegalStateException e = assertThrows(IllegalStateException.class, () -> trainer.fit(train));
        assertTrue(e.getMessage().contains("validation(data)"), e.getMessage());
    }

    @Test
    void theJsonRecordHoldsEveryEpochsMetrics(@TempDir Path folder) throws Exception {
        Sequential model = Models.plain(backend, 5);
        Path file = folder.resolve("run.json");
        List<EpochMetrics> seen = new ArrayList<>();
        List<EpochMetrics> history = Trainer.builder(
                        model, new SGD(model.parameters(), 0.1, 0.9), new CrossEntropyLoss())
                .epochs(2)
                .batchSize(32)
                .validation(test)
                .listeners(new JsonRecordListener(file, Map.of("note", "test")), TrainingListener.onEpoch(seen::add))
                .build()
                .fit(train);

        assertEquals(history, seen);
        Map<?, ?> record = (Map<?, ?>) JsonCodec.parse(Files.readString(file));
        assertEquals(Boolean.TRUE, record.get("finished"));
        assertEquals("test", ((Map<?, ?>) record.get("settings")).get("note"));
        List<?> epochs = (List<?>) record.get("history");
        assertEquals(2, epochs.size());
        for (int i = 0; i < 2; i++) {
            Map<?, ?> entry = (Map<?, ?>) epochs.get(i);
            assertEquals((long) i + 1, entry.get("epoch"));
            assertEquals(
                    history.get(i).validation().accuracy(), ((Number) entry.get("validation_accuracy")).doubleValue());
            assertEquals(history.get(i).train().loss(), ((Number) entry.get("train_loss")).doubleValue());
            assertEquals(null, entry.get("train_mse"));
        }
    }

    @Test
    void theProgressBarStepsOncePerBatchOfEachEpoch() {
        List<String> events = new ArrayList<>();
        Progress.Factory recorder = (task, total) -> {
            events.add(task + " of " + total);
            return new Progress() {
                @Override
                public void step(String message) {
                    events.add("step " + message);
                }

                @Override
                public boolean showsMessages() {
                    return true;
                }

                @Override
                public void close() {
                    events.add("close");
                }
            };
        };
        long[] now = {0};
        Sequential model = Models.plain(backend, 5);
        Trainer.builder(model, new SGD(model.parameters(), 0.1, 0.9), new CrossEntropyLoss())
                .epochs(2)
                .batchSize(48)
                .clock(() -> now[0] += 500_000_000L)
                .listeners(new ProgressBarListener(recorder))
                .build()
                .fit(train);

        assertEquals(2 * 4, events.size(), events.toString());
        assertEquals("epoch 1/2 of 2", events.get(0));
        assertTrue(events.get(1).matches("step loss \\d+\\.\\d{4}, 48 samples/s"), events.get(1));
        assertEquals("close", events.get(3));
        assertEquals("epoch 2/2 of 2", events.get(4));
    }

    @Test
    void resumingAFinishedRunAsksForMoreEpochs(@TempDir Path folder) throws Exception {
        Sequential model = Models.plain(backend, 5);
        SGD optimizer = new SGD(model.parameters(), 0.1, 0.9);
        Path file = folder.resolve("last.ckpt");
        Trainer.builder(model, optimizer, new CrossEntropyLoss())
                .epochs(1)
                .listeners(CheckpointListener.to(file))
                .build()
                .fit(train);
        Trainer.Builder builder = Trainer.builder(model, optimizer, new CrossEntropyLoss())
                .epochs(1)
                .resumeFrom(Checkpoint.read(file));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, builder::build);
        assertTrue(e.getMessage().contains("epochs(n), n > 1"), e.getMessage());
    }

    @Test
    void aSampleOfTheDataSetPredictsAsItsFeatures() {
        Sequential model = Models.plain(backend, 8);
        Predictor predictor = new Predictor(model);
        Sample sample = test.get(3);
        assertArrayEquals(predictor.predict(test)[3], predictor.predict(sample.values()), 1e-6f);
        model.train();
        IllegalStateException e = assertThrows(IllegalStateException.class, () -> predictor.predict(sample.values()));
        assertTrue(e.getMessage().contains("model.eval()"), e.getMessage());
    }
}
