package org.sparselinear.tck.reference;

import java.util.SplittableRandom;

/**
 * Seeded random inputs. Most values are "signed": a magnitude in [0.5, 1) with a random sign,
 * so that every term of a sum is large enough that a kernel which drops or repeats a single
 * term leaves the tolerance, and no sum is dominated by a few values.
 */
public final class TestData {

    private final SplittableRandom random;

    public TestData(long seed) {
        random = new SplittableRandom(seed);
    }

    /** A generator whose seed is derived from a case label, so each case sees its own fixed data. */
    public static TestData seededBy(String label) {
        return new TestData(label.hashCode());
    }

    /** {@code count} values of magnitude in [0.5, 1) with random signs. */
    public float[] signed(int count) {
        float[] values = new float[count];
        for (int i = 0; i < count; i++) {
            float magnitude = (float) (0.5 + 0.5 * random.nextDouble());
            values[i] = random.nextBoolean() ? magnitude : -magnitude;
        }
        return values;
    }

    /** Integers in {@code [-range, range]}: their products and short sums are exact in float32. */
    public float[] smallIntegers(int count, int range) {
        float[] values = new float[count];
        for (int i = 0; i < count; i++) {
            values[i] = random.nextInt(2 * range + 1) - range;
        }
        return values;
    }

    /** {@link #signed(int)} values as a {@code (rows, columns)} matrix. */
    public HostMatrix signed(int rows, int columns) {
        return new HostMatrix(rows, columns, signed(rows * columns));
    }

    public HostMatrix signed(Shape shape) {
        return signed(shape.rows(), shape.columns());
    }

    public HostMatrix uniform(Shape shape, double low, double high) {
        float[] values = new float[shape.size()];
        for (int i = 0; i < values.length; i++) {
            values[i] = (float) random.nextDouble(low, high);
        }
        return new HostMatrix(shape.rows(), shape.columns(), values);
    }

    /** Uniform in [-1, 1) with every {@code period}-th element exactly zero. */
    public HostMatrix uniformWithZeros(Shape shape, int period) {
        HostMatrix matrix = uniform(shape, -1, 1);
        for (int i = 0; i < matrix.values().length; i += period) {
            matrix.values()[i] = 0;
        }
        return matrix;
    }

    /** {@code signed} values times {@code scale}. */
    public HostMatrix signed(Shape shape, float scale) {
        HostMatrix matrix = signed(shape);
        for (int i = 0; i < matrix.values().length; i++) {
            matrix.values()[i] *= scale;
        }
        return matrix;
    }

    public int[] labels(int rows, int classes) {
        int[] labels = new int[rows];
        for (int r = 0; r < rows; r++) {
            labels[r] = random.nextInt(classes);
        }
        return labels;
    }
}
