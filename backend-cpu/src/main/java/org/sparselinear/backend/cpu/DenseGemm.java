package org.sparselinear.backend.cpu;

import java.util.Arrays;

/**
 * The CPU backend's dense products {@code C (+)= op(A) op(B)} on feature-major matrices (a
 * feature-major {@code (r, c)} matrix is column-major, element {@code (r, c)} at {@code c * rows + r}).
 * With SIMD, products whose output has more than one row run on the blocked {@link VectorGemm};
 * matrix-vector products (a batch of one), and all products without the Vector API, on {@link EjmlGemm}.
 */
final class DenseGemm {

    private final ColumnMajorGemm ejml;

    /** The Vector API product, or null when SIMD is off. */
    private final ColumnMajorGemm vector;

    /**
     * Products on {@code pool}'s threads; {@code simd} when the backend's inner loops are the Vector API
     * ones, which the caller has already checked are available (see {@link Simd#rowKernels(boolean)}).
     */
    DenseGemm(WorkerPool pool, boolean simd) {
        this.ejml = new EjmlGemm(pool.threads());
        this.vector = simd ? loadVectorGemm(pool) : null;
    }

    /** By name, so that a JVM without the Vector API module never links the class. */
    private static ColumnMajorGemm loadVectorGemm(WorkerPool pool) {
        try {
            return (ColumnMajorGemm) Class.forName(DenseGemm.class.getPackageName() + ".VectorGemm")
                    .getDeclaredConstructor(WorkerPool.class)
                    .newInstance(pool);
        } catch (ReflectiveOperationException e) {
            throw new IllegalStateException(
                    "the Vector API loops loaded but the Vector API dense product did not: " + e, e);
        }
    }

    /** {@code c (+)= op(a) op(b)}, all feature-major; without {@code accumulate}, {@code c}'s contents are ignored. */
    void gemm(
            CpuDenseMatrix a,
            boolean transposeA,
            CpuDenseMatrix b,
            boolean transposeB,
            CpuDenseMatrix c,
            boolean accumulate) {
        int inner = transposeA ? a.rows() : a.columns();
        multiply(a.data(), transposeA, b.data(), transposeB, c.data(), c.rows(), c.columns(), inner, accumulate);
    }

    /** {@link #gemm} on the arrays of an {@code (m, n)} output and inner size {@code k}. */
    void multiply(
            float[] a,
            boolean transposeA,
            float[] b,
            boolean transposeB,
            float[] c,
            int m,
            int n,
            int k,
            boolean accumulate) {
        if (k == 0 || m == 0 || n == 0) {
            if (!accumulate) {
                Arrays.fill(c, 0, m * n, 0f);
            }
            return;
        }
        ColumnMajorGemm product = vector != null && VectorGemm.suits(m) ? vector : ejml;
        product.multiply(a, transposeA, b, transposeB, c, m, n, k, accumulate);
    }

    /** A few words on how the products are computed, for the backend's description. */
    String describe() {
        return vector == null ? "EJML dense products" : "blocked SIMD dense products (EJML for a batch of one)";
    }
}
