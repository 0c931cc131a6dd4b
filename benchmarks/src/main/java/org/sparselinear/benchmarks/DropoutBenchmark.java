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
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;
import org.sparselinear.api.Activation;
import org.sparselinear.api.Backend;
import org.sparselinear.api.Backends;
import org.sparselinear.api.DenseMatrix;

/**
 * Dropout's forward and backward pass on the text model's hidden layer (batch 256, 1,000 units,
 * p = 0.5): the backend's counter-based {@code dropout}, and as the baseline in the same run the
 * way the layer worked before it, a mask drawn on the host ({@link SplittableRandom}), uploaded,
 * and applied by element-wise products, forward and backward.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Warmup(iterations = 2, time = 1)
@Measurement(iterations = 3, time = 1)
@Fork(
        value = 1,
        jvmArgsAppend = {"-Xmx2g", "--add-modules", "jdk.incubator.vector"})
public class DropoutBenchmark {

    private static final int BATCH = 256;
    private static final int UNITS = 1000;
    private static final float P = 0.5f;

    private Backend backend;
    private DenseMatrix x;
    private DenseMatrix y;
    private DenseMatrix dy;
    private DenseMatrix dx;
    private long pass;

    @Setup(Level.Trial)
    public void setUp() {
        backend = Backends.get();
        SplittableRandom random = new SplittableRandom(3);
        x = backend.upload(Inputs.uniform(BATCH * UNITS, random), BATCH, UNITS);
        dy = backend.upload(Inputs.uniform(BATCH * UNITS, random), BATCH, UNITS);
        y = backend.zeros(BATCH, UNITS);
        dx = backend.zeros(BATCH, UNITS);
    }

    @TearDown(Level.Trial)
    public void tearDown() {
        for (DenseMatrix m : new DenseMatrix[] {x, y, dy, dx}) {
            m.close();
        }
    }

    /** The forward and the backward pass, the mask made twice from one key. */
    @Benchmark
    public DenseMatrix counterBasedMask() {
        long key = ++pass;
        backend.dropout(x, y, key, P, false);
        backend.dropout(dy, dx, key, P, true);
        backend.synchronize();
        return dx;
    }

    /** The same passes with a mask drawn on the host and uploaded. */
    @Benchmark
    public DenseMatrix hostMask() {
        SplittableRandom random = new SplittableRandom(++pass);
        float[] kept = new float[BATCH * UNITS];
        // As the layer drew it: four 16-bit draws from each long, compared without a branch.
        int threshold = Math.round(P * (1 << 16));
        for (int i = 0; i < kept.length; i += 4) {
            long bits = random.nextLong();
            for (int j = i; j < i + 4; j++, bits >>>= 16) {
                kept[j] = (((int) bits & 0xFFFF) - threshold >>> 31) ^ 1;
            }
        }
        try (DenseMatrix mask = backend.upload(kept, BATCH, UNITS)) {
            float scale = 1 / (1 - P);
            // The derivative of the rectifier at a 0/1 mask is the mask: y = x * mask.
            backend.activateBackward(Activation.RELU, mask, mask, x, y, false);
            backend.scale(y, scale);
            try (DenseMatrix masked = backend.zeros(BATCH, UNITS)) {
                backend.activateBackward(Activation.RELU, mask, mask, dy, masked, false);
                backend.axpy(scale, masked, dx);
            }
        }
        backend.synchronize();
        return dx;
    }
}
