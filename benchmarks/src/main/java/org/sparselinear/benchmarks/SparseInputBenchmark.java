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
import org.sparselinear.api.Backend;
import org.sparselinear.api.Backends;
import org.sparselinear.api.Connectivity;
import org.sparselinear.api.DenseMatrix;
import org.sparselinear.api.SparseMatrix;
import org.sparselinear.api.Topologies;

/**
 * The first layer of a text classifier, {@value #FEATURES} TF-IDF features into {@value #OUTPUTS}
 * units, fed a batch of real TF-IDF rows, the first samples of the Debian package descriptions
 * shipped in {@code data/debian-sections} (about 11 non-zeros each; see {@link TextBatch}), on the
 * selected backend
 * ({@code -Dsparselinear.backend}). The weight is sparse at 90 % or 99 % (random connectivity, as
 * {@code SparseLinear} makes it) or dense ({@code Linear}). A sparse weight is held input-major, as
 * {@code SparseLinear} holds it while fed sparse batches (the {@code sparseInputTransposedSparse} kernels,
 * over the pattern of {@code W^T}); {@code sparse90rows} is the same weight in row order (the
 * {@code sparseInputSparse} kernels, which gather the batch's features' values from across the layer), the
 * baseline of that choice.
 *
 * <p>Each operation runs twice: {@code sparseInput*} takes the batch as it is (the
 * {@link org.sparselinear.spi.SparseInputProducts} kernels), {@code densified*} takes the same
 * batch densified to {@code (batch, features)} through the products a dense input uses
 * ({@code spmm} and {@code sddmm} for a sparse weight, {@code gemm} for a dense one). The
 * training step is the first layer's part of one: the forward product and the weight gradient
 * (a first layer needs no input gradient), accumulated into the gradient as the layers do it
 * (the optimizer's {@code zeroGrad} clears it once per step, outside the layer). The bytes each
 * must at least move, for the memory-bound limit, are {@link SparseInputTraffic}'s.
 *
 * <p>JMH reports operations per second and, as {@code :gigaflops}, GFLOP/s counted on non-zeros
 * only: 2 per multiply-add of a stored input value with a stored weight, the same count for both
 * forms, so the ratio of their rates is the speed-up of the sparse input.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(
        value = 1,
        jvmArgsAppend = {"-Xmx8g", "--add-modules", "jdk.incubator.vector"})
public class SparseInputBenchmark {

    /** Input features: the unigrams and bigrams of the Debian package descriptions. */
    static final int FEATURES = 46_369;

    /** Units of the first layer. */
    static final int OUTPUTS = 1000;

    /** {@code sparse90}, {@code sparse99} (input-major), {@code sparse90rows} (row order) or {@code dense}. */
    @Param({"sparse90", "sparse99", "sparse90rows", "dense"})
    public String layer;

    /** Samples per batch. */
    @Param({"64", "256"})
    public int batch;

    private Backend backend;
    private boolean dense;
    private boolean inputMajor;
    private SparseMatrix inputPattern;
    private DenseMatrix inputValues;
    private DenseMatrix densifiedInput;
    private SparseMatrix weightPattern;
    /** The pattern of {@code W^T} when the weight is held input-major, else null. */
    private SparseMatrix transposedPattern;

    private DenseMatrix weight;
    private DenseMatrix dWeight;
    private DenseMatrix y;
    private DenseMatrix dy;
    private double gigaflopsPerForward;

    /** Floating-point operations on non-zeros, in billions, added per call: JMH reports their rate, GFLOP/s. */
    @State(Scope.Thread)
    @AuxCounters(AuxCounters.Type.OPERATIONS)
    public static class Flops {
        public double gigaflops;
    }

    @Setup(Level.Trial)
    public void setUp() {
        backend = Backends.get();
        dense = "dense".equals(layer);
        SplittableRandom random = new SplittableRandom(2);
        TextBatch text = TextBatch.firstSamples(batch);
        inputPattern = backend.pattern(text.rows());
        inputValues = backend.upload(text.values(), 1, text.values().length);
        densifiedInput = backend.upload(text.densified(), batch, FEATURES);
        y = backend.zeros(batch, OUTPUTS);
        dy = backend.upload(Inputs.uniform(batch * OUTPUTS, random), batch, OUTPUTS);
        if (dense) {
            weight = backend.upload(Inputs.uniform(OUTPUTS * FEATURES, random), OUTPUTS, FEATURES);
            dWeight = backend.zeros(OUTPUTS, FEATURES);
            gigaflopsPerForward = 2e-9 * text.rows().nnz() * OUTPUTS;
        } else {
            Connectivity connectivity = sparseWeight(layer);
            weightPattern = backend.pattern(connectivity);
            inputMajor = !layer.endsWith("rows");
            if (inputMajor) {
                transposedPattern = backend.pattern(connectivity.transposed());
            }
            weight = backend.upload(Inputs.uniform(connectivity.nnz(), random), 1, connectivity.nnz());
            dWeight = backend.zeros(1, connectivity.nnz());
            gigaflopsPerForward = 2e-9 * meetings(text.rows(), connectivity);
        }
    }

    /** The connections of the sparse weight {@code layer} ({@code sparse90...} or {@code sparse99...}), as {@code SparseLinear} makes them. */
    static Connectivity sparseWeight(String layer) {
        double sparsity = layer.startsWith("sparse90") ? 0.9 : 0.99;
        return Topologies.byName("random").connect(FEATURES, OUTPUTS, sparsity, 3);
    }

    /** Multiply-adds of the sparse product: for each stored input value, the connections of its feature. */
    private static long meetings(Connectivity input, Connectivity weight) {
        int[] connectionsPerFeature = new int[weight.columns()];
        for (int k = 0; k < weight.nnz(); k++) {
            connectionsPerFeature[weight.column(k)]++;
        }
        long meetings = 0;
        for (int k = 0; k < input.nnz(); k++) {
            meetings += connectionsPerFeature[input.column(k)];
        }
        return meetings;
    }

    @TearDown(Level.Trial)
    public void tearDown() {
        for (var resource : new org.sparselinear.api.DeviceResource[] {
            inputPattern, inputValues, densifiedInput, weightPattern, transposedPattern, weight, dWeight, y, dy
        }) {
            if (resource != null) {
                resource.close();
            }
        }
    }

    /** {@code Y = X W^T} from the sparse batch. */
    @Benchmark
    public DenseMatrix sparseInputForward(Flops counter) {
        sparseForward();
        backend.synchronize();
        counter.gigaflops += gigaflopsPerForward;
        return y;
    }

    /** Forward and weight gradient from the sparse batch. */
    @Benchmark
    public DenseMatrix sparseInputTrainingStep(Flops counter) {
        sparseForward();
        if (dense) {
            backend.sparseInputDenseWeightGradient(inputPattern, inputValues, dy, dWeight, true);
        } else if (inputMajor) {
            backend.sparseInputTransposedSparseWeightGradient(
                    inputPattern, inputValues, transposedPattern, dy, dWeight, true);
        } else {
            backend.sparseInputSparseWeightGradient(inputPattern, inputValues, weightPattern, dy, dWeight, true);
        }
        backend.synchronize();
        counter.gigaflops += 2 * gigaflopsPerForward;
        return dWeight;
    }

    /** {@code Y = X W^T} from the densified batch. */
    @Benchmark
    public DenseMatrix densifiedForward(Flops counter) {
        densifiedForward();
        backend.synchronize();
        counter.gigaflops += gigaflopsPerForward;
        return y;
    }

    /** Forward and weight gradient from the densified batch. */
    @Benchmark
    public DenseMatrix densifiedTrainingStep(Flops counter) {
        densifiedForward();
        if (dense) {
            backend.gemm(dy, true, densifiedInput, false, dWeight, true);
        } else {
            backend.sddmm(weightPattern, dy, densifiedInput, dWeight, true);
        }
        backend.synchronize();
        counter.gigaflops += 2 * gigaflopsPerForward;
        return dWeight;
    }

    private void sparseForward() {
        if (dense) {
            backend.sparseInputDense(inputPattern, inputValues, weight, y);
        } else if (inputMajor) {
            backend.sparseInputTransposedSparse(inputPattern, inputValues, transposedPattern, weight, y);
        } else {
            backend.sparseInputSparse(inputPattern, inputValues, weightPattern, weight, y);
        }
    }

    private void densifiedForward() {
        if (dense) {
            backend.gemm(densifiedInput, false, weight, true, y, false);
        } else {
            backend.spmm(weightPattern, weight, densifiedInput, y);
        }
    }
}
