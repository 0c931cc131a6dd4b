package org.sparselinear.tck;

/** The {@code (rows, columns)} of a dense test case; prints as the backends print shapes. */
record Shape(int rows, int columns) {

    int size() {
        return rows * columns;
    }

    @Override
    public String toString() {
        return "(" + rows + ", " + columns + ")";
    }
}
