package org.sparselinear.tck.reference;

/**
 * What a reference computed for one output matrix: each element's exact value (in double) and
 * its magnitude, the sum of the absolute values of the terms it was built from. The magnitude
 * bounds the rounding error a float32 kernel may make on that element (see {@link Tolerance}),
 * so a sum whose terms cancel is not held to a tolerance relative to its small result.
 */
public final class Expected {

    private final int rows;
    private final int columns;
    private final double[] values;
    private final double[] magnitudes;

    /** All zeros, to be built with {@link #add}. */
    public Expected(int rows, int columns) {
        this(rows, columns, new double[rows * columns], new double[rows * columns]);
    }

    private Expected(int rows, int columns, double[] values, double[] magnitudes) {
        this.rows = rows;
        this.columns = columns;
        this.values = values;
        this.magnitudes = magnitudes;
    }

    /** An expectation from element values and their magnitudes (copied). */
    public static Expected of(int rows, int columns, double[] values, double[] magnitudes) {
        return new Expected(rows, columns, values.clone(), magnitudes.clone());
    }

    /** Adds one term to element {@code index} (row-major). */
    public void add(int index, double term) {
        add(index, term, Math.abs(term));
    }

    /** Adds one term whose rounding is bounded by {@code magnitude} rather than by its absolute value. */
    public void add(int index, double term, double magnitude) {
        values[index] += term;
        magnitudes[index] += magnitude;
    }

    /** This result added to {@code prior}: what an operation that accumulates into {@code prior} gives. */
    public Expected plus(HostMatrix prior) {
        if (prior.rows() != rows || prior.columns() != columns) {
            throw new IllegalArgumentException("prior " + prior + " does not match (" + rows + ", " + columns + ")");
        }
        Expected sum = of(rows, columns, values, magnitudes);
        for (int i = 0; i < values.length; i++) {
            sum.add(i, prior.values()[i]);
        }
        return sum;
    }

    /** The values rounded to float, row-major: a reference result used as the input of a later step. */
    public float[] toFloats() {
        float[] rounded = new float[values.length];
        for (int i = 0; i < values.length; i++) {
            rounded[i] = (float) values[i];
        }
        return rounded;
    }

    public int rows() {
        return rows;
    }

    public int columns() {
        return columns;
    }

    public int size() {
        return values.length;
    }

    public double value(int index) {
        return values[index];
    }

    public double magnitude(int index) {
        return magnitudes[index];
    }
}
