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
import org.sparselinear.api.Connectivity;
import org.sparselinear.api.Topologies;

/**
 * The access limit of each {@link Workload}: the time its products would take on this machine if
 * they did nothing but the accesses to the input (and input gradient) that the pattern dictates
 * ({@link InputAccesses}), on the pattern {@link SparseLayerBenchmark} multiplies, split over
 * {@code threads} threads like the CPU backend's kernels (the caller runs the first part, threads
 * that spin between operations the others: {@link SpinningParts}). {@code forwardReads} is the
 * floor of {@link SparseLayerBenchmark#forward}; {@code forwardReads + backwardAccesses} the floor
 * of its training step. A kernel near its access limit is bound by the random reads of its input,
 * and only fewer or closer reads, not fewer bytes of weights, would make it faster.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(
        value = 1,
        jvmArgsAppend = {"-Xmx4g", "--add-modules", "jdk.incubator.vector"})
public class InputAccessBenchmark {

    /** Which {@link Workload}. */
    @Param({"A", "B", "C", "D"})
    public String workload;

    /** Threads; the default is every core. */
    @Param({"0"})
    public int threads;

    private int batch;
    private int[] rowPointers;
    private char[] columns;
    private float[] x;
    private float[] dy;
    private float[][] dx;
    private int[] partRows;
    private SpinningParts parts;

    @Setup(Level.Trial)
    public void setUp() {
        Workload w = Workload.valueOf(workload);
        if (w.in() > Character.MAX_VALUE + 1) {
            throw new IllegalStateException(
                    w + " is " + w.in() + " inputs wide; the access limit reads 16-bit indices");
        }
        Connectivity connectivity = Topologies.byName("random").connect(w.in(), w.out(), w.sparsity(), 1);
        batch = w.batch();
        rowPointers = connectivity.rowPointers();
        int[] indices = connectivity.columnIndices();
        columns = new char[indices.length];
        for (int k = 0; k < indices.length; k++) {
            columns[k] = (char) indices[k];
        }
        SplittableRandom random = new SplittableRandom(2);
        x = Inputs.uniform(w.batch() * w.in(), random);
        dy = Inputs.uniform(w.batch() * w.out(), random);
        int count = threads > 0 ? threads : Runtime.getRuntime().availableProcessors();
        dx = new float[count][w.batch() * w.in()];
        partRows = partitionRows(rowPointers, count);
        parts = new SpinningParts(count);
    }

    @TearDown(Level.Trial)
    public void tearDown() throws InterruptedException {
        parts.close();
    }

    /** Reads the input column of every connection once ({@link InputAccesses#readColumns}). */
    @Benchmark
    public double forwardReads() {
        return parts.run(p -> InputAccesses.readColumns(rowPointers, columns, x, batch, partRows[p], partRows[p + 1]));
    }

    /**
     * Reads the input column of every connection and updates its input-gradient column, each part
     * into its own buffer ({@link InputAccesses#readAndScatterColumns}); the sum of the buffers is
     * left out.
     */
    @Benchmark
    public double backwardAccesses() {
        return parts.run(p -> InputAccesses.readAndScatterColumns(
                rowPointers, columns, x, dy, dx[p], batch, partRows[p], partRows[p + 1]));
    }

    /**
     * Row boundaries that split a pattern's entries into {@code parts} nearly equal shares:
     * part {@code p} is rows {@code [bounds[p], bounds[p + 1])}.
     */
    static int[] partitionRows(int[] rowPointers, int parts) {
        int rows = rowPointers.length - 1;
        long nnz = rowPointers[rows];
        int[] bounds = new int[parts + 1];
        int row = 0;
        for (int p = 1; p < parts; p++) {
            long target = nnz * p / parts;
            while (row < rows && rowPointers[row] < target) {
                row++;
            }
            bounds[p] = row;
        }
        bounds[parts] = rows;
        return bounds;
    }
}
