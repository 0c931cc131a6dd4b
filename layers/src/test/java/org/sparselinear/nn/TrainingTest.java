package org.sparselinear.nn;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.sparselinear.api.Backend;
import org.sparselinear.api.GradMode;
import org.sparselinear.api.MemoryScope;
import org.sparselinear.api.Tensor;
import org.sparselinear.data.Batch;
import org.sparselinear.data.DataLoader;
import org.sparselinear.data.Dataset;
import org.sparselinear.nn.loss.CrossEntropyLoss;
import org.sparselinear.nn.optim.SGD;
import org.sparselinear.testing.Tensors;

/** End to end: a 784-64-10 sparse network learns a small, linearly separable 10-class problem. */
class TrainingTest {

    private static final int FEATURES = 784;
    private static final int CLASSES = 10;

    @Test
    @SuppressWarnings("try") // the scope is held for its effect
    void sparseModelReachesHighAccuracyOnSeparableData() {
        Dataset train = separable(1000, 1);
        Dataset test = separable(500, 2);
        Init.manualSeed(0);
        Sequential model = new Sequential(
                new Flatten(),
                new SparseLinear(FEATURES, 64, SparseLinear.options().sparsity(0.9)),
                new LayerNorm(64),
                new ReLU(),
                new SparseLinear(64, CLASSES, SparseLinear.options().sparsity(0.5)));
        SGD optimizer = new SGD(model.parameters(), 0.1, 0.9);
        CrossEntropyLoss criterion = new CrossEntropyLoss();
        Backend backend = Tensors.backend();
        double before = accuracy(model, test, backend);
        model.train();
        for (int epoch = 0; epoch < 3; epoch++) {
            for (Batch batch : new DataLoader(train, 50, true, 7, true)) {
                try (MemoryScope step = backend.newScope()) {
                    optimizer.zeroGrad();
                    criterion
                            .forward(model.forward(batch.features(backend)), batch.labels())
                            .backward();
                    optimizer.step();
                }
            }
        }
        double after = accuracy(model, test, backend);
        assertTrue(before < 0.3, "untrained accuracy " + before);
        assertTrue(after > 0.95, "trained accuracy " + after);
    }

    @SuppressWarnings("try") // scopes and GradMode are held for their effect
    private static double accuracy(Sequential model, Dataset data, Backend backend) {
        model.eval();
        int correct = 0;
        for (Batch batch : new DataLoader(data, 100, false, 0, false)) {
            try (MemoryScope scope = backend.newScope();
                    GradMode off = GradMode.disable()) {
                Tensor logits = model.forward(batch.features(backend));
                int[] predicted = backend.argmaxRows(logits.value());
                int[] labels = batch.labels();
                for (int i = 0; i < labels.length; i++) {
                    correct += predicted[i] == labels[i] ? 1 : 0;
                }
            }
        }
        model.train();
        return (double) correct / data.size();
    }

    /** Ten fixed random +-1 prototypes (seed 99) plus Gaussian noise of standard deviation 1. */
    private static Dataset separable(int size, long seed) {
        SplittableRandom prototypes = new SplittableRandom(99);
        float[][] centres = new float[CLASSES][FEATURES];
        for (float[] centre : centres) {
            for (int f = 0; f < FEATURES; f++) {
                centre[f] = prototypes.nextBoolean() ? 1 : -1;
            }
        }
        SplittableRandom random = new SplittableRandom(seed);
        float[] features = new float[size * FEATURES];
        int[] labels = new int[size];
        for (int i = 0; i < size; i++) {
            labels[i] = i % CLASSES;
            for (int f = 0; f < FEATURES; f++) {
                features[i * FEATURES + f] = centres[labels[i]][f] + (float) gaussian(random);
            }
        }
        return Dataset.of(features, labels, new int[] {1, 28, 28}, CLASSES);
    }

    private static double gaussian(SplittableRandom random) {
        double u = 1 - random.nextDouble();
        return Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * random.nextDouble());
    }
}
