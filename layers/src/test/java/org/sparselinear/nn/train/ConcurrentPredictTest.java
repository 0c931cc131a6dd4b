package org.sparselinear.nn.train;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;
import org.sparselinear.api.Backend;
import org.sparselinear.api.Layer;
import org.sparselinear.nn.Flatten;
import org.sparselinear.nn.LayerNorm;
import org.sparselinear.nn.Models;
import org.sparselinear.nn.ReLU;
import org.sparselinear.nn.Sequential;
import org.sparselinear.nn.SparseLinear;
import org.sparselinear.testing.Tensors;

/**
 * One model in evaluation mode answers {@link Predictor#predict} from 8 threads at once with
 * exactly the outputs one thread gets: the demo's sparse network (large enough that the CPU
 * backend splits each product over its workers) and a model with every kind of layer (K-Winners,
 * rewiring layers, fixed maps).
 */
class ConcurrentPredictTest {

    private static final int THREADS = 8;
    private final Backend backend = Tensors.backend();

    private static Sequential demoSparse(Backend backend) {
        SparseLinear.Options options =
                SparseLinear.options().sparsity(0.9).seed(1).backend(backend);
        return new Sequential(
                new Flatten(),
                new SparseLinear(784, 2000, options),
                new LayerNorm(2000, backend),
                new ReLU(),
                new SparseLinear(
                        2000, 10, SparseLinear.options().sparsity(0.9).seed(2).backend(backend)));
    }

    private void check(Layer model, int features, int samples) throws Exception {
        float[][] inputs = new float[samples][];
        for (int s = 0; s < samples; s++) {
            inputs[s] = Tensors.uniform(100 + s, features, -1, 1);
        }
        Predictor predictor = new Predictor(model);
        float[][] single = new float[samples][];
        for (int s = 0; s < samples; s++) {
            single[s] = predictor.predict(inputs[s]);
        }
        float[][] batch = predictor.predict(inputs);

        ExecutorService pool = Executors.newFixedThreadPool(THREADS);
        try {
            CountDownLatch start = new CountDownLatch(1);
            List<Future<float[][][]>> answers = new ArrayList<>();
            for (int t = 0; t < THREADS; t++) {
                int offset = t;
                answers.add(pool.submit(() -> {
                    start.await();
                    float[][] ones = new float[samples][];
                    for (int i = 0; i < samples; i++) {
                        int s = (i + offset * 7) % samples; // each thread in its own order
                        ones[s] = predictor.predict(inputs[s]);
                    }
                    return new float[][][] {ones, predictor.predict(inputs)};
                }));
            }
            start.countDown();
            for (Future<float[][][]> answer : answers) {
                float[][][] got = answer.get();
                for (int s = 0; s < samples; s++) {
                    assertArrayEquals(single[s], got[0][s], "sample " + s + " alone");
                    assertArrayEquals(batch[s], got[1][s], "sample " + s + " in the batch");
                }
            }
        } finally {
            pool.shutdown();
        }
        assertEquals(samples, single.length);
    }

    @Test
    void theDemosSparseModelAnswersEightThreadsAsOne() throws Exception {
        check(demoSparse(backend), 784, 24);
    }

    @Test
    void aModelWithEveryKindOfLayerAnswersEightThreadsAsOne() throws Exception {
        check(Models.rich(backend), Models.FEATURES, 40);
    }
}
