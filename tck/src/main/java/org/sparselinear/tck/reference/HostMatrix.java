package org.sparselinear.tck.reference;

/**
 * A dense matrix on the host in row-major order (element {@code (r, c)} at
 * {@code r * columns + c}): the form in which the kit builds inputs and hands them to
 * {@link org.sparselinear.api.Backend#upload} and to the references.
 */
public record HostMatrix(int rows, int columns, float[] values) {

    public HostMatrix {
        if (values.length != (long) rows * columns) {
            throw new IllegalArgumentException("shape (" + rows + ", " + columns + ") needs " + (long) rows * columns
                    + " values, got " + values.length);
        }
    }

    /** A one-row matrix holding {@code values}. */
    public static HostMatrix vector(float[] values) {
        return new HostMatrix(1, values.length, values);
    }

    public float get(int row, int column) {
        return values[row * columns + column];
    }

    public Shape shape() {
        return new Shape(rows, columns);
    }

    @Override
    public String toString() {
        return shape().toString();
    }
}
