package org.sparselinear.spi;

import java.util.Locale;
import org.sparselinear.api.DenseMatrix;
import org.sparselinear.api.DeviceResource;

/**
 * Argument checks whose messages say what was expected, what was given and what to do. Shared
 * by the API, every backend and the layers so that the same mistake reads the same everywhere.
 */
public final class Checks {

    private Checks() {}

    /** Requires {@code value > 0}. */
    public static int positive(int value, String what) {
        if (value <= 0) {
            throw new IllegalArgumentException(what + " must be positive, got " + value);
        }
        return value;
    }

    /** Requires {@code value >= 0}. */
    public static int nonNegative(int value, String what) {
        if (value < 0) {
            throw new IllegalArgumentException(what + " must be >= 0, got " + value);
        }
        return value;
    }

    /** Requires a finite {@code value > 0}. */
    public static float positiveFinite(double value, String what) {
        if (!(value > 0) || Double.isInfinite(value)) {
            throw new IllegalArgumentException(what + " must be finite and > 0, got " + value);
        }
        return (float) value;
    }

    /** Requires a finite {@code value >= 0}. */
    public static float nonNegativeFinite(double value, String what) {
        if (!(value >= 0) || Double.isInfinite(value)) {
            throw new IllegalArgumentException(what + " must be finite and >= 0, got " + value);
        }
        return (float) value;
    }

    /** Requires {@code low <= value < high}. */
    public static double inRange(double value, double low, double high, String what) {
        if (!(value >= low && value < high)) {
            throw new IllegalArgumentException(
                    String.format(Locale.ROOT, "%s must be in [%s, %s), got %s", what, low, high, value));
        }
        return value;
    }

    /** Requires a sparsity in [0, 1): the fraction of absent connections. */
    public static double sparsity(double sparsity) {
        if (!(sparsity >= 0 && sparsity < 1)) {
            throw new IllegalArgumentException(
                    "sparsity must be in [0, 1) (the fraction of connections that are absent; " + "0 is dense), got "
                            + sparsity);
        }
        return sparsity;
    }

    /** Requires {@code m} to have exactly this shape. */
    public static void shape(DenseMatrix m, int rows, int columns, String what) {
        if (m.rows() != rows || m.columns() != columns) {
            throw new IllegalArgumentException(
                    what + ": expected shape (" + rows + ", " + columns + "), got " + m.shapeString());
        }
    }

    /** Requires {@code a} and {@code b} to have the same shape. */
    public static void sameShape(DenseMatrix a, DenseMatrix b, String what) {
        if (a.rows() != b.rows() || a.columns() != b.columns()) {
            throw new IllegalArgumentException(
                    what + ": shapes must match, got " + a.shapeString() + " and " + b.shapeString());
        }
    }

    /** Requires {@code m} not to be closed. */
    public static void open(DeviceResource m, String what) {
        if (m.isClosed()) {
            throw new IllegalStateException(what + " was already closed (its memory scope ended); keep it with "
                    + "MemoryScope.keep or allocate it outside the scope");
        }
    }
}
