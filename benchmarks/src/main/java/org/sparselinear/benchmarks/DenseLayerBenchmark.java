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

/**
 * The dense equivalent of {@link SparseLayerBenchmark} on the same backend: the same products
 * with a dense {@code (out, in)} weight through {@code gemm}. Workload D is left out: its dense
 * weight would take 10 GB.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Warmup(iterations = 2, time = 2)
@Measurement(iterations = 3, time = 2)
@Fork(
        value = 1,
        jvmArgsAppend = {"-Xmx8g", "--add-modules", "jdk.incubator.vector"})
public class DenseLayerBenchmark {

    /** Which {@link Workload}; D does not fit. */
    @Param({"A", "B", "C"})
    public String workload;

    private Backend backend;
    private DenseMatrix weight;
    private DenseMatrix x;
    private DenseMatrix y;
    private DenseMatrix dy;
    private DenseMatrix dx;
    private DenseMatrix dWeight;

    @Setup(Level.Trial)
    public void setUp() {
        Workload w = Workload.valueOf(workload);
        backend = Backends.get();
        SplittableRandom random = new SplittableRandom(2);
        weight = backend.upload(Inputs.uniform(w.out() * w.in(), random), w.out(), w.in());
        x = backend.upload(Inputs.uniform(w.batch() * w.in(), random), w.batch(), w.in());
        dy = backend.upload(Inputs.uniform(w.batch() * w.out(), random), w.batch(), w.out());
        y = backend.zeros(w.batch(), w.out());
        dx = backend.zeros(w.batch(), w.in());
        dWeight = backend.zeros(w.out(), w.in());
    }

    @TearDown(Level.Trial)
    public void tearDown() {
        for (DenseMatrix m : new DenseMatrix[] {weight, x, y, dy, dx, dWeight}) {
            m.close();
        }
    }

    /** {@code Y = X W^T}. */
    @Benchmark
    public DenseMatrix forward() {
        backend.gemm(x, false, weight, true, y, false);
        backend.synchronize();
        return y;
    }

    /** Forward, {@code dX = dY W} and {@code dW = dY^T X}. */
    @Benchmark
    public DenseMatrix trainingStep() {
        backend.gemm(x, false, weight, true, y, false);
        backend.gemm(dy, false, weight, false, dx, false);
        backend.gemm(dy, true, x, false, dWeight, false);
        backend.synchronize();
        return dWeight;
    }
}
