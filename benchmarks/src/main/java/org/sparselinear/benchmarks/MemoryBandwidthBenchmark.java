package org.sparselinear.benchmarks;

import java.util.concurrent.TimeUnit;
import java.util.stream.IntStream;
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
import org.openjdk.jmh.annotations.Warmup;

/**
 * The machine's memory read bandwidth, the baseline for the memory-bound limit of the sparse
 * forward product: a streaming sum over {@value #MEGABYTES} MB of floats (far larger than any
 * cache), split over {@code threads} threads like the CPU backend's kernels. Bytes read per
 * operation: {@link #BYTES}; GB/s = BYTES / (ms per op * 1e6).
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(
        value = 1,
        jvmArgsAppend = {"-Xmx2g"})
public class MemoryBandwidthBenchmark {

    /** Size of the array summed. */
    public static final int MEGABYTES = 512;

    /** Bytes read by one operation. */
    public static final long BYTES = MEGABYTES * 1024L * 1024L;

    /** Threads reading in parallel; the default is every core. */
    @Param({"0"})
    public int threads;

    private float[] data;
    private int parts;

    @Setup(Level.Trial)
    public void setUp() {
        data = new float[(int) (BYTES / Float.BYTES)];
        java.util.Arrays.fill(data, 1f);
        parts = threads > 0 ? threads : Runtime.getRuntime().availableProcessors();
    }

    /** Sums the whole array once. */
    @Benchmark
    public double streamingSum() {
        int length = data.length;
        return IntStream.range(0, parts)
                .parallel()
                .mapToDouble(p -> sum(data, (int) ((long) length * p / parts), (int) ((long) length * (p + 1) / parts)))
                .sum();
    }

    /** Eight independent sums so that the loop is limited by memory, not by the add latency. */
    private static double sum(float[] a, int start, int end) {
        float s0 = 0;
        float s1 = 0;
        float s2 = 0;
        float s3 = 0;
        float s4 = 0;
        float s5 = 0;
        float s6 = 0;
        float s7 = 0;
        int i = start;
        for (; i + 7 < end; i += 8) {
            s0 += a[i];
            s1 += a[i + 1];
            s2 += a[i + 2];
            s3 += a[i + 3];
            s4 += a[i + 4];
            s5 += a[i + 5];
            s6 += a[i + 6];
            s7 += a[i + 7];
        }
        for (; i < end; i++) {
            s0 += a[i];
        }
        return (double) s0 + s1 + s2 + s3 + s4 + s5 + s6 + s7;
    }
}
