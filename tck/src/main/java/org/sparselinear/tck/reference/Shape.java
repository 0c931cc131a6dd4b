package org.sparselinear.tck.reference;

/** The {@code (rows, columns)} of a dense test case; prints as the backends print shapes. */
public record Shape(int rows, int columns) {

    public int size() {
        return rows * columns;
    }

    @Override
    public String toString() {
        return "(" + rows + ", " + columns + ")";
    }
}
