package org.sparselinear.nn;

import java.util.SplittableRandom;
import org.sparselinear.api.Checks;

/**
 * Seeds and initial values of parameters, so that a run is reproducible like one started with
 * PyTorch's {@code torch.manual_seed}.
 *
 * <p>A layer built without an explicit seed draws one from a global sequence with
 * {@link #nextSeed()}. The sequence starts from seed 0 when the class loads and restarts with
 * {@link #manualSeed(long)}; building the same layers in the same order after the same
 * {@code manualSeed} gives the same connections and values. The sequence is thread-safe; layers
 * built concurrently still get distinct seeds, in an order the threads decide.
 */
public final class Init {

    private static SplittableRandom sequence = new SplittableRandom(0);

    private Init() {
    }

    /** Restarts the global seed sequence from {@code seed}, like {@code torch.manual_seed}. */
    public static synchronized void manualSeed(long seed) {
        sequence = new SplittableRandom(seed);
    }

    /** The next seed of the global sequence; each call gives a new one. */
    public static synchronized long nextSeed() {
        return sequence.nextLong();
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
