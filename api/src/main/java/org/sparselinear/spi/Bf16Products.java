package org.sparselinear.spi;

import org.sparselinear.api.Bf16Values;
import org.sparselinear.api.DenseMatrix;
import org.sparselinear.api.SparseMatrix;

/**
 * Inference with bfloat16 weights: the values of a sparse weight rounded to bfloat16
 * ({@link Bfloat16}: to nearest, ties to even) and the forward product over them, accumulated in
 * float32. Halving the bytes of the values speeds up the memory-bound forward pass of a large
 * sparse layer at small batches; there is no backward pass, the values cannot be trained.
 *
 * <p>Contract: {@code spmmBf16} equals {@link SparseProducts#spmm} over the float32 values of the
 * rounded weights, within float32 rounding of that sum in any order; {@code fromBf16} gives those
 * values exactly.
 *
 * <p><b>Optional kernels.</b> {@link AbstractBackend} implements the family for every backend by
 * keeping the rounded values in float32 and running {@code spmm}: the same numbers, without the
 * saving in memory or time. A backend that stores 16 bits overrides its three kernel methods
 * together; {@link #storesBf16()} says which of the two a backend does.
 */
public interface Bf16Products {

    /**
     * The {@code (1, n)} float32 {@code values} rounded to bfloat16, in a new vector owned by the
     * innermost open memory scope (or the caller, outside scopes), like a matrix from
     * {@link MemoryOps#zeros}.
     */
    Bf16Values toBf16(DenseMatrix values);

    /**
     * Forward product {@code y = x W^T} with bfloat16 values widened to float32 and summed in
     * float32: x {@code (B, in)}, values of length {@code nnz}, y {@code (B, out)}, overwritten.
     */
    void spmmBf16(SparseMatrix weight, Bf16Values values, DenseMatrix x, DenseMatrix y);

    /** Writes the float32 value of each bfloat16 value (exact) into {@code target}, {@code (1, n)}. */
    void fromBf16(Bf16Values values, DenseMatrix target);

    /**
     * Whether this backend stores the values in 16 bits and multiplies them with its own kernel;
     * false when it uses the float32 default of {@link AbstractBackend} (same results, no saving).
     */
    boolean storesBf16();
}
