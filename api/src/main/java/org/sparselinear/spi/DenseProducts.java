package org.sparselinear.spi;

import org.sparselinear.api.DenseMatrix;

/**
 * Dense products: the matrix product of dense layers and the two products with a vector of ones
 * that add a bias and sum its gradient.
 *
 * <p>Contract: each result equals the plain sum of products, within float32 rounding of that sum
 * in any order; the output of {@link #gemm} is neither input. Required: every backend implements
 * the whole family.
 */
public interface DenseProducts {

    /** {@code c (+)= op(a) op(b)}, where {@code op} transposes when its flag is set. */
    void gemm(DenseMatrix a, boolean transposeA, DenseMatrix b, boolean transposeB, DenseMatrix c, boolean accumulate);

    /** {@code y[r, c] += row[0, c]} for every row r (bias add). */
    void addRowVector(DenseMatrix y, DenseMatrix row);

    /** {@code sums[0, c] (+)= sum_r x[r, c]} (bias gradient). */
    void columnSums(DenseMatrix x, DenseMatrix sums, boolean accumulate);
}
