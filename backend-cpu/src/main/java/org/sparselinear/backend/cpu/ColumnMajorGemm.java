package org.sparselinear.backend.cpu;

/**
 * One way to compute {@code C (+)= op(A) op(B)} on column-major (feature-major) {@code float[]}
 * arrays: element {@code (r, c)} of an {@code (rows, columns)} matrix at {@code c * rows + r}.
 * {@code C} is {@code (m, n)}, {@code op(A)} is {@code (m, k)} and {@code op(B)} is {@code (k, n)};
 * a transposed operand is stored as its {@code (k, m)} or {@code (n, k)} transpose. Implementations:
 * {@link EjmlGemm} (any JVM) and {@link VectorGemm} (the Vector API); {@link DenseGemm} chooses.
 */
interface ColumnMajorGemm {

    /**
     * {@code c = op(a) op(b)}, or {@code c += op(a) op(b)} when {@code accumulate}; when not
     * accumulating, what {@code c} held (NaN included) is ignored. Callers pass {@code k > 0}.
     */
    void multiply(
            float[] a,
            boolean transposeA,
            float[] b,
            boolean transposeB,
            float[] c,
            int m,
            int n,
            int k,
            boolean accumulate);
}
