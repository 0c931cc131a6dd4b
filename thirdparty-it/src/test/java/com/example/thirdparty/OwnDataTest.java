package com.example.thirdparty;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.sparselinear.api.Backend;
import org.sparselinear.api.Backends;
import org.sparselinear.api.GradMode;
import org.sparselinear.api.Layer;
import org.sparselinear.api.MemoryScope;
import org.sparselinear.api.Tensor;
import org.sparselinear.data.Batch;
import org.sparselinear.data.Csv;
import org.sparselinear.data.CsvOptions;
import org.sparselinear.data.DataLoader;
import org.sparselinear.data.Dataset;
import org.sparselinear.data.LabelledDataset;
import org.sparselinear.nn.Linear;
import org.sparselinear.nn.ReLU;
import org.sparselinear.nn.Sequential;
import org.sparselinear.nn.SparseLinear;
import org.sparselinear.nn.loss.CrossEntropyLoss;
import org.sparselinear.nn.optim.Adam;

/**
 * A user's own data, with the public API only, as the README shows it: a model trained on Java
 * {@code float[][]} arrays and on a CSV file learns a task that only its features solve, and
 * one fed sparse rows ({@code Dataset.ofSparse}) does too.
 */
class OwnDataTest {

    private static final int CLASSES = 3;

    @TempDir
    Path temp;

    /** Points around three centres in 4 dimensions: class c is near (c, -c, 2c, 1). */
    private static float[][] points(int count, long seed, int[] labels) {
        SplittableRandom random = new SplittableRandom(seed);
        float[][] features = new float[count][];
        for (int s = 0; s < count; s++) {
            int c = s % CLASSES;
            labels[s] = c;
            features[s] = new float[] {c + noise(random), -c + noise(random), 2 * c + noise(random), 1 + noise(random)};
        }
        return features;
    }

    private static float noise(SplittableRandom random) {
        return (float) (0.3 * random.nextGaussian());
    }

    /** Trains {@code model} for a few epochs and returns its accuracy on {@code test}, in percent. */
    @SuppressWarnings("try")
    private static double trainAndTest(Layer model, Dataset train, Dataset test) {
        Backend backend = Backends.get();
        CrossEntropyLoss criterion = new CrossEntropyLoss();
        try (Adam optimizer = new Adam(model.parameters(), 0.01)) {
            for (int epoch = 1; epoch <= 15; epoch++) {
                for (Batch batch : DataLoader.shuffled(train, 16, 3L).epoch(epoch)) {
                    try (MemoryScope step = backend.newScope()) {
                        Tensor loss = criterion.forward(model.forward(batch.features(backend)), batch.labels());
                        optimizer.zeroGrad();
                        loss.backward();
                        optimizer.step();
                    }
                }
            }
        }
        model.eval();
        int correct = 0;
        try (GradMode off = GradMode.disable()) {
            for (Batch batch : DataLoader.inOrder(test, 50)) {
                try (MemoryScope scope = backend.newScope()) {
                    int[] predicted = backend.argmaxRows(
                            model.forward(batch.features(backend)).value());
                    int[] labels = batch.labels();
                    for (int i = 0; i < predicted.length; i++) {
                        correct += predicted[i] == labels[i] ? 1 : 0;
                    }
                }
            }
        }
        return 100.0 * correct / test.size();
    }

    private static Layer model(int features) {
        return new Sequential(new Linear(features, 16), new ReLU(), new Linear(16, CLASSES));
    }

    @Test
    void trainsOnJavaArrays() {
        int[] trainLabels = new int[240];
        int[] testLabels = new int[90];
        Dataset train = Dataset.of(points(240, 1, trainLabels), trainLabels, CLASSES);
        Dataset test = Dataset.of(points(90, 2, testLabels), testLabels, CLASSES);
        try (Layer model = model(4)) {
            assertTrue(trainAndTest(model, train, test) > 90, "chance is 33 %");
        }
    }

    @Test
    void trainsOnACsvFile() throws IOException {
        int[] labels = new int[300];
        float[][] points = points(300, 3, labels);
        StringBuilder csv = new StringBuilder("a,b,c,d,kind\n");
        for (int s = 0; s < points.length; s++) {
            for (float value : points[s]) {
                csv.append(value).append(',');
            }
            csv.append(new String[] {"red", "green", "blue"}[labels[s]]).append('\n');
        }
        Path file = Files.writeString(temp.resolve("points.csv"), csv);
        LabelledDataset data = Csv.read(file, CsvOptions.defaults().withLabel("kind"));
        assertEquals(4, data.featureCount());
        assertEquals(CLASSES, data.classes());
        var split = data.split(0.3, 5L);
        try (Layer model = model(4)) {
            assertTrue(trainAndTest(model, split.train(), split.validation()) > 90, "chance is 33 %");
        }
    }

    @Test
    void trainsOnSparseRows() {
        // Class c is marked by features 10c .. 10c + 9 of 1,000; each sample holds three of them.
        SplittableRandom random = new SplittableRandom(7);
        int count = 300;
        int[][] indices = new int[count][];
        float[][] values = new float[count][];
        int[] labels = new int[count];
        for (int s = 0; s < count; s++) {
            labels[s] = s % CLASSES;
            int first = 10 * labels[s] + random.nextInt(3);
            indices[s] = new int[] {first, first + 3 + random.nextInt(2), first + 7};
            values[s] = new float[] {1f, 0.5f, 0.25f};
        }
        Dataset all = Dataset.ofSparse(1000, indices, values, labels, CLASSES);
        var split = all.split(0.3, 5L);
        Layer model = new Sequential(
                new SparseLinear(1000, 32, SparseLinear.options().sparsity(0.5)), new ReLU(), new Linear(32, CLASSES));
        try (model) {
            assertTrue(trainAndTest(model, split.train(), split.validation()) > 90, "chance is 33 %");
        }
    }
}
