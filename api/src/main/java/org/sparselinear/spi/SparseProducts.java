package org.sparselinear.spi;

import org.sparselinear.api.DenseMatrix;
import org.sparselinear.api.SparseMatrix;

/**
 * Sparse products: the forward and backward passes of a sparse layer {@code y = x W^T}, whose
 * weight is a pattern {@code W} of shape {@code (out, in)} with a {@code (1, nnz)} value vector
 * in the pattern's order.
 *
 * <p>Contract: each result equals the plain sum over the stored connections, within float32
 * rounding of that sum in any order; rows and columns without connections give exact zeros (or
 * leave an accumulated output as it was); the output is never one of the inputs. Required: every
 * backend implements the whole family.
 */
public interface SparseProducts {

    /** Forward product {@code y = x W^T}: x (B, in), values (1, nnz), y (B, out), overwritten. */
    void spmm(SparseMatrix weight, DenseMatrix values, DenseMatrix x, DenseMatrix y);

    /** Input gradient {@code dx (+)= dy W}: dy (B, out), dx (B, in). */
    void spmmTransposed(SparseMatrix weight, DenseMatrix values, DenseMatrix dy, DenseMatrix dx, boolean accumulate);

    /**
     * Weight gradient, a sampled dense-dense product: for every stored {@code (o, i)} at
     * position {@code k}, {@code dValues[k] (+)= sum_b dy[b, o] * x[b, i]}.
     */
    void sddmm(SparseMatrix weight, DenseMatrix dy, DenseMatrix x, DenseMatrix dValues, boolean accumulate);

    /**
     * Both gradients of a sparse layer: {@code dx (+)= dy W} when {@code dx} is not null (as
     * {@link #spmmTransposed}) and {@code dValues (+)= sddmm(dy, x)} (as {@link #sddmm}). The result
     * equals the two calls; a backend may fuse them so that the pattern is read once.
     */
    void sparseBackward(
            SparseMatrix weight,
            DenseMatrix values,
            DenseMatrix dy,
            DenseMatrix x,
            DenseMatrix dx,
            boolean accumulateDx,
            DenseMatrix dValues,
            boolean accumulateDValues);
}
