package org.sparselinear.backend.cpu;

/**
 * The connections of each input feature of a sparse weight, as the sparse-input products read them: those of
 * feature {@code i} are the positions {@code p} in {@code [pointers[i], pointers[i + 1])}, connection {@code p}
 * going to output {@code outputs[p]}, its value at {@code values[p + shift]}.
 *
 * <p>For a weight held input-major ({@code T = W^T}, see
 * {@link org.sparselinear.spi.SparseInputProducts}) these are T's rows and T's own values, read in place
 * ({@code shift} 0). For a weight stored in its row order they are W's CSC columns, and the values of the batch's
 * features are first gathered into a contiguous array ({@link PresentConnections}), where the {@code f}-th present
 * feature has its own shift.
 *
 * @param pointers {@code in + 1} offsets
 * @param outputs the output of every connection
 * @param values the values read (or, for a weight gradient, the sums written)
 * @param present the gathered connections the values belong to, or null when they are the weight's own
 */
record FeatureConnections(int[] pointers, int[] outputs, float[] values, PresentConnections present) {

    /** The connections of a weight held input-major, with its values (or the gradient to add to) in place. */
    static FeatureConnections inputMajor(CpuSparseMatrix weightT, float[] values) {
        return new FeatureConnections(weightT.rowPointers, weightT.columnIndices(), values, null);
    }

    /** The connections of a weight in row order, through its CSC form, over {@code gathered} values of {@code present}. */
    static FeatureConnections gathered(CpuSparseMatrix weight, PresentConnections present, float[] gathered) {
        ColumnForm columns = weight.columnForm();
        return new FeatureConnections(columns.columnPointers, columns.rowIndices, gathered, present);
    }

    /** What to add to a position of feature {@code nonEmptyColumns[f]} (the {@code f}-th present feature) to read its value. */
    int shift(int f) {
        return present == null ? 0 : present.shift(f);
    }

    /** {@link #shift} of input {@code i}, which must be present in the batch. */
    int shiftOfInput(int i) {
        return present == null ? 0 : present.shiftOfInput(i);
    }
}
