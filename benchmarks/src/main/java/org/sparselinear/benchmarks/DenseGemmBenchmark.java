package org.sparselinear.benchmarks;

import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.AuxCounters;
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
import org.sparselinear.api.DenseMatrix;
import org.sparselinear.backend.cpu.CpuBackend;

/**
 * The CPU backend's dense products on the shapes that dominate training: the text classifier's
 * dense output layer {@code Linear(1000, 50)} at batch 128 and 512 (forward, input gradient,
 * weight gradient) and the MNIST model's first layer forward (batch 64, 784 -> 2000). Each runs
 * on the blocked Vector API product and on EJML (the CPU backend without SIMD) in the same run;
 * the {@code gflop} counter is the speed in GFLOP/s, counting {@code 2 m n k} flops per product.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(
        value = 1,
        jvmArgsAppend = {"-Xmx4g", "--add-modules", "jdk.incubator.vector"})
public class DenseGemmBenchmark {

    /** A product {@code C (+)= op(A) op(B)} with {@code C} of {@code (m, n)} and inner size {@code k}. */
    public enum Product {
        /** {@code y(B, 50) = x(B, 1000) W(50, 1000)^T} at B = 128. */
        TEXT_FORWARD_128(128, 50, 1000, false, true, false),
        /** The same at B = 512. */
        TEXT_FORWARD_512(512, 50, 1000, false, true, false),
        /** {@code dx(B, 1000) += dy(B, 50) W(50, 1000)} at B = 128. */
        TEXT_INPUT_GRADIENT_128(128, 1000, 50, false, false, true),
        /** The same at B = 512. */
        TEXT_INPUT_GRADIENT_512(512, 1000, 50, false, false, true),
        /** {@code dW(50, 1000) += dy(B, 50)^T x(B, 1000)} at B = 128. */
        TEXT_WEIGHT_GRADIENT_128(50, 1000, 128, true, false, true),
        /** The same at B = 512. */
        TEXT_WEIGHT_GRADIENT_512(50, 1000, 512, true, false, true),
        /** {@code y(64, 2000) = x(64, 784) W(2000, 784)^T}. */
        MNIST_FORWARD_64(64, 2000, 784, false, true, false);

        final int m;
        final int n;
        final int k;
        final boolean transposeA;
        final boolean transposeB;
        final boolean accumulate;

        Product(int m, int n, int k, boolean transposeA, boolean transposeB, boolean accumulate) {
            this.m = m;
            this.n = n;
            this.k = k;
            this.transposeA = transposeA;
            this.transposeB = transposeB;
            this.accumulate = accumulate;
        }

        /** Floating-point operations of one product, in billions. */
        double gflop() {
            return 2.0 * m * n * k / 1e9;
        }
    }

    @Param({
        "TEXT_FORWARD_128",
        "TEXT_FORWARD_512",
        "TEXT_INPUT_GRADIENT_128",
        "TEXT_INPUT_GRADIENT_512",
        "TEXT_WEIGHT_GRADIENT_128",
        "TEXT_WEIGHT_GRADIENT_512",
        "MNIST_FORWARD_64"
    })
    public Product product;

    /** {@code blocked}: the Vector API product; {@code ejml}: EJML, as without SIMD. */
    @Param({"blocked", "ejml"})
    public String gemm;

    private CpuBackend backend;
    private DenseMatrix a;
    private DenseMatrix b;
    private DenseMatrix c;

    /** The flops done, reported per second. */
    @State(Scope.Thread)
    @AuxCounters(AuxCounters.Type.OPERATIONS)
    public static class Flops {
        /** Billions of floating-point operations done in this iteration. */
        public double gflop;

        @Setup(Level.Iteration)
        public void reset() {
            gflop = 0;
        }
    }

    @Setup(Level.Trial)
    public void setUp() {
        if (!gemm.equals("blocked") && !gemm.equals("ejml")) {
            throw new IllegalArgumentException("gemm must be blocked or ejml, got '" + gemm + "'");
        }
        backend = new CpuBackend(CpuBackend.defaultThreads(), gemm.equals("blocked"));
        if (gemm.equals("blocked") && !backend.usesSimd()) {
            throw new IllegalStateException("the blocked product needs --add-modules jdk.incubator.vector");
        }
        SplittableRandom random = new SplittableRandom(5);
        Product p = product;
        a = p.transposeA ? upload(p.k, p.m, random) : upload(p.m, p.k, random);
        b = p.transposeB ? upload(p.n, p.k, random) : upload(p.k, p.n, random);
        c = upload(p.m, p.n, random);
    }

    private DenseMatrix upload(int rows, int columns, SplittableRandom random) {
        return backend.upload(Inputs.uniform(rows * columns, random), rows, columns);
    }

    @TearDown(Level.Trial)
    public void tearDown() {
        a.close();
        b.close();
        c.close();
        backend.close();
    }

    /** One product. */
    @Benchmark
    public DenseMatrix multiply(Flops flops) {
        backend.gemm(a, product.transposeA, b, product.transposeB, c, product.accumulate);
        backend.synchronize();
        flops.gflop += product.gflop();
        return c;
    }
}
