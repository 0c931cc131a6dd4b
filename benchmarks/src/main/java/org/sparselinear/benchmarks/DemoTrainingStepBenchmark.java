package org.sparselinear.benchmarks;

import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;
import org.sparselinear.api.Backend;
import org.sparselinear.api.Backends;
import org.sparselinear.api.DenseMatrix;
import org.sparselinear.api.Layer;
import org.sparselinear.api.MemoryScope;
import org.sparselinear.api.Tensor;
import org.sparselinear.nn.Flatten;
import org.sparselinear.nn.LayerNorm;
import org.sparselinear.nn.Linear;
import org.sparselinear.nn.ReLU;
import org.sparselinear.nn.Sequential;
import org.sparselinear.nn.SparseLinear;
import org.sparselinear.nn.loss.CrossEntropyLoss;
import org.sparselinear.nn.optim.SGD;

/**
 * One training step (forward, cross-entropy, backward, SGD with momentum) of the demo's model,
 * Flatten - 784x2000 - LayerNorm - ReLU - 2000x10, at batch 64: dense ({@code Linear}) against
 * sparse ({@code SparseLinear} at 90 %), on the backend selected as usual
 * ({@code -Dsparselinear.backend}).
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(
        value = 1,
        jvmArgsAppend = {"--add-modules", "jdk.incubator.vector"})
public class DemoTrainingStepBenchmark {

    /** {@code dense} or {@code sparse}. */
    @Param({"sparse", "dense"})
    public String model;

    private static final int BATCH = 64;
    private static final int HIDDEN = 2000;
    private static final int PIXELS = 784;
    private static final int CLASSES = 10;

    private Backend backend;
    private Layer network;
    private SGD optimizer;
    private final CrossEntropyLoss loss = new CrossEntropyLoss();
    private DenseMatrix images;
    private int[] labels;

    @Setup(Level.Trial)
    public void setUp() {
        backend = Backends.get();
        network = "dense".equals(model)
                ? new Sequential(
                        new Flatten(),
                        new Linear(PIXELS, HIDDEN),
                        new LayerNorm(HIDDEN),
                        new ReLU(),
                        new Linear(HIDDEN, CLASSES))
                : new Sequential(
                        new Flatten(),
                        new SparseLinear(PIXELS, HIDDEN, SparseLinear.options().sparsity(0.9)),
                        new LayerNorm(HIDDEN),
                        new ReLU(),
                        new SparseLinear(HIDDEN, CLASSES, SparseLinear.options().sparsity(0.9)));
        optimizer = new SGD(network.parameters(), "dense".equals(model) ? 0.01 : 0.1, 0.9);
        SplittableRandom random = new SplittableRandom(42);
        float[] pixels = new float[BATCH * PIXELS];
        for (int i = 0; i < pixels.length; i++) {
            pixels[i] = (float) random.nextGaussian();
        }
        labels = random.ints(BATCH, 0, CLASSES).toArray();
        images = backend.upload(pixels, BATCH, PIXELS);
    }

    @TearDown(Level.Trial)
    public void tearDown() {
        images.close();
    }

    /** Returns the loss so that nothing is optimised away. */
    @Benchmark
    public float trainingStep() {
        try (MemoryScope step = backend.newScope()) {
            optimizer.zeroGrad();
            Tensor output = loss.forward(network.forward(Tensor.constant(images, BATCH, 1, 28, 28)), labels);
            output.backward();
            optimizer.step();
            return output.item();
        }
    }
}
