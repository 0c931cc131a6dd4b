package org.sparselinear.api;

/**
 * A compute device with its memory and kernels: everything a sparse network needs to train.
 * Obtain one with {@link Backends#get()}; implement one by extending {@link AbstractBackend},
 * which checks every argument and leaves the kernels to the subclass.
 *
 * <p>Conventions: matrices are {@code (rows, columns)} = {@code (batch, features)}; a vector
 * is a one-row matrix. A sparse weight of a layer with {@code in} inputs and {@code out}
 * outputs is a pattern {@code W} of shape {@code (out, in)} plus a {@code (1, nnz)} value
 * vector in the pattern's order. Methods named with {@code accumulate} add into their output
 * when it is true and overwrite it when false. An output must not be one of the inputs unless
 * the method says it may (the products reject it). All methods are asynchronous with respect to
 * the host where the device allows it, except those that return host data.
 */
public interface Backend extends AutoCloseable {

    /** The name it is selected by, as its {@link BackendProvider#name()}. */
    String name();

    /** One line on the device and its settings (threads, device name, memory). */
    String description();

    // ---- memory -------------------------------------------------------------------------

    /** Opens a memory scope on the calling thread; see {@link MemoryScope}. */
    MemoryScope newScope();

    /** A new matrix of zeros. */
    DenseMatrix zeros(int rows, int columns);

    /** A new matrix holding {@code rowMajor} (element (r, c) at {@code r * columns + c}). */
    DenseMatrix upload(float[] rowMajor, int rows, int columns);

    /** The matrix's elements in row-major order. */
    float[] download(DenseMatrix matrix);

    /** Copies {@code source} into {@code target} (same shape). */
    void copy(DenseMatrix source, DenseMatrix target);

    /** Sets every element of {@code matrix} to {@code value}. */
    void fill(DenseMatrix matrix, float value);

    /** The pattern on this device, with its transpose map. */
    SparseMatrix pattern(Connectivity connectivity);

    /**
     * Bytes {@link #pattern} takes on this device for a pattern of this shape; by default the
     * layout DESIGN.md prescribes: row and column pointers plus, per connection, column indices,
     * the transpose map's row indices and value positions.
     */
    default long patternBytes(int rows, int columns, long nnz) {
        return 4L * (rows + 1L) + 4L * (columns + 1L) + 12L * nnz;
    }

    /**
     * Bytes that new allocations can still take now: free device memory, or for a backend whose
     * memory is the Java heap, what the heap can still grow into. {@link Long#MAX_VALUE} when the
     * backend cannot tell (the default).
     */
    default long availableBytes() {
        return Long.MAX_VALUE;
    }

    /** Whether this backend's memory is the Java heap, so that host and device needs add up. */
    default boolean usesHostMemory() {
        return false;
    }

    // ---- sparse products ----------------------------------------------------------------

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
    void sparseBackward(SparseMatrix weight, DenseMatrix values, DenseMatrix dy, DenseMatrix x, DenseMatrix dx,
                        boolean accumulateDx, DenseMatrix dValues, boolean accumulateDValues);

    // ---- dense --------------------------------------------------------------------------

    /** {@code c (+)= op(a) op(b)}, where {@code op} transposes when its flag is set. */
    void gemm(DenseMatrix a, boolean transposeA, DenseMatrix b, boolean transposeB, DenseMatrix c, boolean accumulate);

    /** {@code y[r, c] += row[0, c]} for every row r (bias add). */
    void addRowVector(DenseMatrix y, DenseMatrix row);

    /** {@code sums[0, c] (+)= sum_r x[r, c]} (bias gradient). */
    void columnSums(DenseMatrix x, DenseMatrix sums, boolean accumulate);

    /** {@code y = max(x, 0)}; {@code y} may be {@code x}. */
    void relu(DenseMatrix x, DenseMatrix y);

    /** {@code dx (+)= dy * [y > 0]}, with {@code y} the ReLU's output. */
    void reluBackward(DenseMatrix y, DenseMatrix dy, DenseMatrix dx, boolean accumulate);

    /**
     * Layer normalisation over the columns of each row (Ba et al. 2016):
     * {@code y = (x - mean) * rstd * gamma + beta}; stores each row's mean and
     * {@code rstd = 1 / sqrt(var + eps)} (biased variance) into the {@code (1, rows)} vectors.
     */
    void layerNorm(DenseMatrix x, DenseMatrix gamma, DenseMatrix beta, float epsilon,
                   DenseMatrix y, DenseMatrix mean, DenseMatrix rstd);

    /**
     * Gradients of {@link #layerNorm}, all accumulated: {@code dx}, {@code dGamma}
     * ({@code sum_r dy * xhat}) and {@code dBeta} ({@code sum_r dy}); any of the three may be
     * null when not needed.
     */
    void layerNormBackward(DenseMatrix x, DenseMatrix gamma, DenseMatrix mean, DenseMatrix rstd, DenseMatrix dy,
                           DenseMatrix dx, DenseMatrix dGamma, DenseMatrix dBeta);

    /**
     * Row-wise softmax of {@code logits} into {@code probabilities} and the mean cross-entropy
     * over the rows against {@code labels} into the {@code (1, 1)} {@code loss}. Numerically
     * stable: computed in log space after subtracting each row's maximum, so any finite logits
     * give a finite loss.
     */
    void softmaxCrossEntropy(DenseMatrix logits, int[] labels, DenseMatrix probabilities, DenseMatrix loss);

    /** {@code dLogits (+)= dLoss * (probabilities - onehot(labels)) / rows}. */
    void softmaxCrossEntropyBackward(DenseMatrix probabilities, int[] labels, DenseMatrix dLoss,
                                     DenseMatrix dLogits, boolean accumulate);

    /** {@code loss = scale * sum (prediction - target)^2} into the {@code (1, 1)} loss. */
    void squaredError(DenseMatrix prediction, DenseMatrix target, float scale, DenseMatrix loss);

    /** {@code dPrediction (+)= 2 * scale * dLoss * (prediction - target)}. */
    void squaredErrorBackward(DenseMatrix prediction, DenseMatrix target, float scale, DenseMatrix dLoss,
                              DenseMatrix dPrediction, boolean accumulate);

    /** {@code y += alpha * x}. */
    void axpy(float alpha, DenseMatrix x, DenseMatrix y);

    /** {@code x *= alpha}. */
    void scale(DenseMatrix x, float alpha);

    /**
     * The column of the largest element of each row (the first one on ties; NaN never wins), on
     * the host; the matrix needs at least one column.
     */
    int[] argmaxRows(DenseMatrix matrix);

    // ---- activation sparsity (K-Winners) -------------------------------------------------

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
     * K-Winners layer is {@code dx += dy * mask}, which {@link #reluBackward} computes with the
     * mask in the place of {@code y}.
     */
    void kWinners(DenseMatrix x, DenseMatrix boost, int k, DenseMatrix y, DenseMatrix mask);

    /**
     * K-Winners boost factors: {@code boost[0, f] = exp(strength * (density - dutyCycle[0, f]))},
     * computed in float32 or better. {@code dutyCycle} and {@code boost} have the same shape (one
     * row) and may be the same matrix; {@code density} and {@code strength} are finite.
     */
    void boostFactors(DenseMatrix dutyCycle, float density, float strength, DenseMatrix boost);

    // ---- rewiring (dynamic sparsity) -----------------------------------------------------

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

    // ---- optimizers ---------------------------------------------------------------------

    /** One fused SGD update of {@code parameter}; {@code velocity} may be null when momentum is 0. */
    void sgdStep(DenseMatrix parameter, DenseMatrix gradient, DenseMatrix velocity, SgdSettings settings);

    /** One fused Adam update; {@code step} is 1 on the first update. */
    void adamStep(DenseMatrix parameter, DenseMatrix gradient, DenseMatrix firstMoment, DenseMatrix secondMoment,
                  AdamSettings settings, long step);

    /**
     * Releases the device (thread pools, contexts); the backend and its matrices become unusable.
     * {@link Backends} then creates a new one on the next {@link Backends#get()}.
     */
    @Override
    void close();

    /**
     * Waits until every operation queued on this backend has finished. Results never need it
     * (downloads wait for them); timings of asynchronous devices do. No-op by default.
     */
    default void synchronize() {
    }

    /** Whether {@link #close()} has been called. */
    default boolean isClosed() {
        return false;
    }
}
