package org.sparselinear.spi;

import org.sparselinear.api.DenseMatrix;
import org.sparselinear.api.SparseMatrix;

/**
 * Products whose input is a sparse batch: the forward and backward passes of a first layer
 * {@code y = x W^T} fed sparse rows (bag-of-words, one-hot, TF-IDF), so that neither the input
 * nor, for a sparse weight, the weight is ever densified.
 *
 * <p>A sparse batch {@code X} of {@code B} rows and {@code in} features is a pattern of shape
 * {@code (B, in)} (CSR, sorted, duplicate-free, as every {@link SparseMatrix}) plus a
 * {@code (1, nnzX)} value vector {@code xValues} in the pattern's order, the same convention as a
 * sparse weight. The weight is either dense, {@code (out, in)}, or sparse: a pattern of shape
 * {@code (out, in)} and its {@code (1, nnzW)} values, or a sparse weight held <em>input-major</em>,
 * the pattern of {@code T = W^T}, shape {@code (in, out)}, whose CSR rows are the weight's columns: the
 * connections of one input feature and their values lie contiguous, so a batch that reads the weight
 * by feature reads it in order (the {@code sparseInputTransposedSparse} operations).
 *
 * <p>Contract: each result equals the plain sum over the stored entries of both operands, within
 * float32 rounding of that sum in any order; rows of {@code X} without entries give exact zeros
 * (or leave an accumulated output as it was); the output is never one of the inputs. The work is
 * proportional to the products of stored entries that meet (for a sparse weight: entries of
 * {@code X} times the connections of their feature), never to {@code B * in}. Required: every
 * backend implements the whole family.
 */
public interface SparseInputProducts {

    /** Forward through a dense weight, {@code y = X W^T}: weight (out, in), y (B, out), overwritten. */
    void sparseInputDense(SparseMatrix x, DenseMatrix xValues, DenseMatrix weight, DenseMatrix y);

    /** Dense weight gradient {@code dWeight (+)= dy^T X}: dy (B, out), dWeight (out, in). */
    void sparseInputDenseWeightGradient(
            SparseMatrix x, DenseMatrix xValues, DenseMatrix dy, DenseMatrix dWeight, boolean accumulate);

    /**
     * Gradient of the input values through a dense weight, a sampled product: for every stored
     * {@code (b, i)} of {@code X} at position {@code k}, {@code dxValues[k] (+)= sum_o dy[b, o] * W[o, i]}.
     */
    void sparseInputDenseInputGradient(
            SparseMatrix x, DenseMatrix dy, DenseMatrix weight, DenseMatrix dxValues, boolean accumulate);

    /**
     * Forward through a sparse weight, {@code y = X W^T}: for every stored {@code (b, i)} of
     * {@code X} and every connection {@code (o, i)} of the weight, {@code y[b, o] += x * w};
     * y (B, out), overwritten.
     */
    void sparseInputSparse(
            SparseMatrix x, DenseMatrix xValues, SparseMatrix weight, DenseMatrix weightValues, DenseMatrix y);

    /**
     * Sparse weight gradient, sampled at the connections: for every connection {@code (o, i)} at
     * position {@code k}, {@code dWeightValues[k] (+)= sum_b dy[b, o] * X[b, i]}.
     */
    void sparseInputSparseWeightGradient(
            SparseMatrix x,
            DenseMatrix xValues,
            SparseMatrix weight,
            DenseMatrix dy,
            DenseMatrix dWeightValues,
            boolean accumulate);

    /**
     * Gradient of the input values through a sparse weight: for every stored {@code (b, i)} of
     * {@code X} at position {@code k}, {@code dxValues[k] (+)= sum over connections (o, i) of dy[b, o] * w}.
     */
    void sparseInputSparseInputGradient(
            SparseMatrix x,
            SparseMatrix weight,
            DenseMatrix weightValues,
            DenseMatrix dy,
            DenseMatrix dxValues,
            boolean accumulate);

    /**
     * Forward through a sparse weight held input-major, {@code y = X T} where {@code T = W^T} is a pattern of
     * shape {@code (in, out)}: for every stored {@code (b, i)} of {@code X} and every connection {@code (i, o)} of
     * {@code T}, {@code y[b, o] += x * t}; y (B, out), overwritten.
     */
    void sparseInputTransposedSparse(
            SparseMatrix x, DenseMatrix xValues, SparseMatrix weightT, DenseMatrix weightTValues, DenseMatrix y);

    /**
     * The gradient of a sparse weight held input-major, sampled at its connections: for every connection
     * {@code (i, o)} of {@code T} at position {@code k}, {@code dWeightTValues[k] (+)= sum_b X[b, i] * dy[b, o]}.
     */
    void sparseInputTransposedSparseWeightGradient(
            SparseMatrix x,
            DenseMatrix xValues,
            SparseMatrix weightT,
            DenseMatrix dy,
            DenseMatrix dWeightTValues,
            boolean accumulate);

    /**
     * Gradient of the input values through a sparse weight held input-major: for every stored {@code (b, i)} of
     * {@code X} at position {@code k}, {@code dxValues[k] (+)= sum over the connections (i, o) of T of dy[b, o] * t}.
     */
    void sparseInputTransposedSparseInputGradient(
            SparseMatrix x,
            SparseMatrix weightT,
            DenseMatrix weightTValues,
            DenseMatrix dy,
            DenseMatrix dxValues,
            boolean accumulate);
}
