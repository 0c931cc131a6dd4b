package org.sparselinear.spi;

import org.sparselinear.api.DenseMatrix;
import org.sparselinear.api.SparseMatrix;

/**
 * Sparsity maintenance: activation sparsity (K-Winners and its boosting) and the rewiring steps
 * of dynamic sparse training (RigL's gradient top-k, and the gather that carries a layer's state
 * to its new pattern).
 *
 * <p>Contract: the selections are exact and deterministic (ties broken by position, NaN ranked
 * last), so every backend picks the same winners and the same connections; the boost factors
 * agree with a double-precision reference within float32 rounding.
 *
 * <p><b>Optional.</b> {@link org.sparselinear.spi.AbstractBackend} gives each operation a host
 * fallback (download, compute with the host code, upload), so a new backend is complete without
 * these kernels. The family can be optional because its operations run once per batch on one
 * activation (K-Winners) or once per rewiring step (every few hundred batches), never inside the
 * sparse products that dominate a step, and their results are small (masks, {@code k}
 * positions); the other families run on every tensor of every step, where a round trip through
 * the host would cost more than the step itself. A device backend that relies on a fallback
 * lists it in {@link org.sparselinear.api.Backend#hostOperations()} and warns once, when the
 * fallback first runs.
 */
public interface SparsityOps {

    /**
     * Per-row k-winners-take-all (Ahmad and Scheinkman 2019, "How Can We Be So Dense? The
     * Benefits of Using Highly Sparse Representations"). For every row {@code b} of {@code x}
     * {@code (B, F)}, the score of column {@code f} is the float32 product
     * {@code s = x[b, f] * boost[0, f]}; the {@code k} columns with the largest scores win.
     * Scores are ordered as floats ({@code -0.0 == 0.0}), a NaN score ranks below every number,
     * and equal scores are ordered by column, the lower column first, so exactly {@code k}
     * columns win in every row. Writes (overwriting both):
     * <ul>
     *   <li>{@code y[b, f] = x[b, f]} where {@code f} wins in row {@code b} (the unboosted value)
     *       and {@code 0} elsewhere;</li>
     *   <li>{@code mask[b, f] = 1} where {@code f} wins and {@code 0} elsewhere.</li>
     * </ul>
     * {@code boost} is {@code (1, F)}; {@code 0 <= k <= F}; {@code y} and {@code mask} are
     * {@code (B, F)}, distinct from each other and from {@code x}. The backward pass of a
     * K-Winners layer is {@code dx += dy * mask}, which
     * {@link ElementwiseOps#activateBackward} computes for {@link org.sparselinear.api.Activation#RELU}
     * with the mask as both {@code x} and {@code y} (the rectifier's derivative at a 0/1 mask is
     * the mask).
     */
    void kWinners(DenseMatrix x, DenseMatrix boost, int k, DenseMatrix y, DenseMatrix mask);

    /**
     * K-Winners boost factors: {@code boost[0, f] = exp(strength * (density - dutyCycle[0, f]))},
     * computed in float32 or better. {@code dutyCycle} and {@code boost} have the same shape (one
     * row) and may be the same matrix; {@code density} and {@code strength} are finite.
     */
    void boostFactors(DenseMatrix dutyCycle, float density, float strength, DenseMatrix boost);

    /**
     * The grow step of RigL (Evci et al. 2020, "Rigging the Lottery: Making All Tickets
     * Winners"): among the positions {@code (o, i)} of the {@code (out, in) = (exclude.rows(),
     * exclude.columns())} weight that are <em>not</em> stored in {@code exclude}, the {@code k}
     * with the largest magnitude {@code |g[o, i]|} of the dense weight gradient
     * {@code g[o, i] = sum_b dy[b, o] * x[b, i]} of a layer {@code y = x W^T}.
     *
     * <p>{@code dy} is {@code (B, out)} and {@code x} is {@code (B, in)}; {@code k >= 0}. The
     * gradient is computed in blocks of rows of bounded size, keeping a running top-k, so memory
     * is O(block + k) and never O(out x in). Returns a {@code (2, m)} array, output rows then
     * input columns, with {@code m = min(k, out * in - nnz)}, ordered by decreasing magnitude;
     * equal magnitudes are ordered by row-major position (row, then column), lower first, and a
     * NaN magnitude ranks below every number. Only these {@code m} positions come back to the host.
     */
    int[][] topKAbsDenseGradient(DenseMatrix dy, DenseMatrix x, SparseMatrix exclude, int k);

    /**
     * Gathers a vector into a new order, zeroing new elements: for every {@code j <
     * target.columns()}, {@code target[0, j] = source[0, sourcePositions[j]]} when
     * {@code sourcePositions[j] >= 0} and {@code 0} when it is {@code -1}. {@code source} is
     * {@code (1, n)}, {@code target} is {@code (1, sourcePositions.length)} and distinct from
     * {@code source}; every position is in {@code [-1, n)}. Used when a sparse layer is rewired,
     * to carry its values, gradient and optimizer state over to the new pattern's order.
     */
    void gather(DenseMatrix source, int[] sourcePositions, DenseMatrix target);
}
