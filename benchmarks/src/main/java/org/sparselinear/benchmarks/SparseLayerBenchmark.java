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
import org.sparselinear.api.Bf16Values;
import org.sparselinear.api.Connectivity;
import org.sparselinear.api.DenseMatrix;
import org.sparselinear.api.SparseMatrix;
import org.sparselinear.api.Topologies;

/**
 * The sparse kernels of one layer on the selected backend ({@code -Dsparselinear.backend}):
 * forward ({@code Y = X W^T}) and a training step's three products (forward, input gradient
 * {@code dX = dY W}, weight gradient by SDDMM), for each {@link Workload}; and the forward with the
 * values in bfloat16 ({@code spmmBf16}, inference after {@code compressForInference()}). Compare with
 * {@link DenseLayerBenchmark} from the same run.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(
        value = 1,
        jvmArgsAppend = {"-Xmx8g", "--add-modules", "jdk.incubator.vector"})
public class SparseLayerBenchmark {

    /** Which {@link Workload}. */
    @Param({"A", "B", "C", "D"})
    public String workload;

    private Backend backend;
    private SparseMatrix pattern;
    private DenseMatrix values;
    private DenseMatrix x;
    private DenseMatrix y;
    private DenseMatrix dy;
    private DenseMatrix dx;
    private DenseMatrix dValues;
    private Bf16Values bf16Values;

    @Setup(Level.Trial)
    public void setUp() {
        Workload w = Workload.valueOf(workload);
        backend = Backends.get();
        Connectivity connectivity = Topologies.byName("random").connect(w.in(), w.out(), w.sparsity(), 1);
        pattern = backend.pattern(connectivity);
        SplittableRandom random = new SplittableRandom(2);
        values = backend.upload(Inputs.uniform(connectivity.nnz(), random), 1, connectivity.nnz());
        x = backend.upload(Inputs.uniform(w.batch() * w.in(), random), w.batch(), w.in());
        dy = backend.upload(Inputs.uniform(w.batch() * w.out(), random), w.batch(), w.out());
        y = backend.zeros(w.batch(), w.out());
        dx = backend.zeros(w.batch(), w.in());
        dValues = backend.zeros(1, connectivity.nnz());
        bf16Values = backend.toBf16(values);
    }

    @TearDown(Level.Trial)
    public void tearDown() {
        for (var resource :
                new org.sparselinear.api.DeviceResource[] {pattern, values, x, y, dy, dx, dValues, bf16Values}) {
            resource.close();
        }
    }

    /** {@code Y = X W^T}. */
    @Benchmark
    public DenseMatrix forward() {
        backend.spmm(pattern, values, x, y);
        backend.synchronize();
        return y;
    }

    /** {@code Y = X W^T} with the values in bfloat16, summed in float32. */
    @Benchmark
    public DenseMatrix forwardBf16() {
        backend.spmmBf16(pattern, bf16Values, x, y);
        backend.synchronize();
        return y;
    }

    /**
     * Forward, input gradient and weight gradient (through {@code sparseBackward}, as a layer's
     * backward calls them): what one training step costs a layer.
     */
    @Benchmark
    public DenseMatrix trainingStep() {
        backend.spmm(pattern, values, x, y);
        backend.sparseBackward(pattern, values, dy, x, dx, false, dValues, false);
        backend.synchronize();
        return dValues;
    }
}
