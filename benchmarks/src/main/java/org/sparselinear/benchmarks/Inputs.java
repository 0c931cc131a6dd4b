package org.sparselinear.benchmarks;

import java.util.SplittableRandom;

/** Seeded benchmark inputs. */
final class Inputs {

    private Inputs() {}

    /** {@code length} values uniform in [-1, 1). */
    static float[] uniform(int length, SplittableRandom random) {
        float[] values = new float[length];
        for (int i = 0; i < length; i++) {
            values[i] = (float) (2 * random.nextDouble() - 1);
        }
        return values;
    }
}
