package org.sparselinear.nn;

import java.util.Objects;
import java.util.SplittableRandom;
import java.util.function.Supplier;
import org.sparselinear.spi.Checks;

/**
 * Seeds and initial values of parameters, so that a run is reproducible like one started with
 * PyTorch's {@code torch.manual_seed}.
 *
 * <p>A layer built without an explicit seed draws one from a global sequence with
 * {@link #nextSeed()}. The sequence starts from seed 0 when the class loads and restarts with
 * {@link #manualSeed(long)}; building the same layers in the same order after the same
 * {@code manualSeed} gives the same connections and values. The sequence is thread-safe; layers
 * built concurrently still get distinct seeds, in an order the threads decide.
 *
 * <p>The global sequence is shared by every thread, so two threads that each call
 * {@code manualSeed} and then build a model interleave their draws and get models that depend on
 * timing. A thread that builds a model while others may do the same uses {@link #withSeed}: the
 * layers built inside it draw from a sequence of the calling thread alone, exactly the seeds that
 * {@code manualSeed(seed)} followed by the same constructions would give.
 */
public final class Init {

    private static SplittableRandom sequence = new SplittableRandom(0);

    private static final ThreadLocal<SplittableRandom> THREAD_SEQUENCE = new ThreadLocal<>();

    private Init() {}

    /** Restarts the global seed sequence from {@code seed}, like {@code torch.manual_seed}. */
    public static synchronized void manualSeed(long seed) {
        sequence = new SplittableRandom(seed);
    }

    /**
     * The next seed: of the calling thread's sequence inside {@link #withSeed}, else of the global
     * sequence; each call gives a new one.
     */
    public static long nextSeed() {
        SplittableRandom own = THREAD_SEQUENCE.get();
        if (own != null) {
            return own.nextLong();
        }
        synchronized (Init.class) {
            return sequence.nextLong();
        }
    }

    /**
     * Runs {@code build} with a seed sequence of the calling thread alone, started from
     * {@code seed}: every {@link #nextSeed()} inside it (every layer built without an explicit seed)
     * draws from that sequence, as after {@code manualSeed(seed)}, whatever other threads do. The
     * global sequence is neither used nor changed. Calls nest; the outer sequence resumes afterwards.
     *
     * @return what {@code build} returns
     */
    public static <T> T withSeed(long seed, Supplier<T> build) {
        Objects.requireNonNull(build, "build");
        SplittableRandom outer = THREAD_SEQUENCE.get();
        THREAD_SEQUENCE.set(new SplittableRandom(seed));
        try {
            return build.get();
        } finally {
            if (outer != null) {
                THREAD_SEQUENCE.set(outer);
            } else {
                THREAD_SEQUENCE.remove();
            }
        }
    }

    /**
     * {@code count} values drawn from {@code U(-bound, bound)}, the initialisation of PyTorch's
     * {@code nn.Linear} and of the reference SparseLinear package (with {@code bound = 1/sqrt(in)}).
     */
    static float[] uniform(int count, double bound, SplittableRandom random) {
        Checks.nonNegative(count, "count");
        Checks.positiveFinite(bound, "bound");
        float[] values = new float[count];
        for (int i = 0; i < count; i++) {
            values[i] = (float) random.nextDouble(-bound, bound);
        }
        return values;
    }

    /** The bound {@code 1/sqrt(in)} of the uniform initialisation of a layer with {@code in} inputs. */
    static double fanInBound(int in) {
        return 1.0 / Math.sqrt(in);
    }
}
