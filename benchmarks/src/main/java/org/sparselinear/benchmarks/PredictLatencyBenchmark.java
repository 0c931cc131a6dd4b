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
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;
import org.sparselinear.nn.Flatten;
import org.sparselinear.nn.LayerNorm;
import org.sparselinear.nn.ReLU;
import org.sparselinear.nn.Sequential;
import org.sparselinear.nn.SparseLinear;
import org.sparselinear.nn.train.Predictor;

/**
 * Inference with the layers' {@link Predictor} on the demo's sparse model (Flatten - 784x2000 at
 * 90 % sparsity - LayerNorm - ReLU - 2000x10 at 90 %), in evaluation mode: the latency of one sample
 * ({@code float[]} in, logits out; SampleTime, so JMH reports its p50 and p99) and the throughput of
 * batches of 64. Run with {@code java -jar benchmarks/target/benchmarks.jar PredictLatencyBenchmark}.
 */
@State(Scope.Benchmark)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(
        value = 1,
        jvmArgsAppend = {"--add-modules", "jdk.incubator.vector"})
public class PredictLatencyBenchmark {

    private static final int BATCH = 64;
    private static final int HIDDEN = 2000;
    private static final int PIXELS = 784;
    private static final int CLASSES = 10;

    private Predictor predictor;
    private float[] sample;
    private float[][] batch;

    @Setup(Level.Trial)
    public void setUp() {
        SparseLinear.Options options = SparseLinear.options().sparsity(0.9).seed(1);
        Sequential model = new Sequential(
                new Flatten(),
                new SparseLinear(PIXELS, HIDDEN, options),
                new LayerNorm(HIDDEN),
                new ReLU(),
                new SparseLinear(
                        HIDDEN, CLASSES, SparseLinear.options().sparsity(0.9).seed(2)));
        predictor = new Predictor(model);
        SplittableRandom random = new SplittableRandom(42);
        batch = new float[BATCH][PIXELS];
        for (float[] row : batch) {
            for (int i = 0; i < PIXELS; i++) {
                row[i] = (float) random.nextGaussian();
            }
        }
        sample = batch[0];
    }

    /** One sample's logits: the latency a request sees. */
    @Benchmark
    @BenchmarkMode(Mode.SampleTime)
    public float[] singleSample() {
        return predictor.predict(sample);
    }

    /** 64 samples' logits at once: the throughput of batched requests (operations are batches). */
    @Benchmark
    @BenchmarkMode(Mode.Throughput)
    @OutputTimeUnit(TimeUnit.SECONDS)
    public float[][] batchOf64() {
        return predictor.predict(batch);
    }
}
