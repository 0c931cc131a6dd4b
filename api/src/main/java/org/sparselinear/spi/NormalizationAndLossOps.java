package org.sparselinear.spi;

import org.sparselinear.api.DenseMatrix;

/**
 * Row reductions: layer normalisation, the losses and the prediction of a classifier, each of
 * which reduces every row (one sample) to a few statistics and, for the backward passes,
 * spreads a gradient back over the row.
 *
 * <p>Contract: results agree with double-precision references within float32 rounding of the
 * terms each reduction sums; the softmax and the cross-entropy stay finite for any finite
 * logits; labels are checked to lie in {@code [0, columns)}. Required: every backend implements
 * the whole family.
 */
public interface NormalizationAndLossOps {

    /**
     * Layer normalisation over the columns of each row (Ba et al. 2016):
     * {@code y = (x - mean) * rstd * gamma + beta}; stores each row's mean and
     * {@code rstd = 1 / sqrt(var + eps)} (biased variance) into the {@code (1, rows)} vectors.
     */
    void layerNorm(
            DenseMatrix x,
            DenseMatrix gamma,
            DenseMatrix beta,
            float epsilon,
            DenseMatrix y,
            DenseMatrix mean,
            DenseMatrix rstd);

    /**
     * Gradients of {@link #layerNorm}, all accumulated: {@code dx}, {@code dGamma}
     * ({@code sum_r dy * xhat}) and {@code dBeta} ({@code sum_r dy}); any of the three may be
     * null when not needed.
     */
    void layerNormBackward(
            DenseMatrix x,
            DenseMatrix gamma,
            DenseMatrix mean,
            DenseMatrix rstd,
            DenseMatrix dy,
            DenseMatrix dx,
            DenseMatrix dGamma,
            DenseMatrix dBeta);

    /**
     * Row-wise softmax of {@code logits} into {@code probabilities} and the mean cross-entropy
     * over the rows against {@code labels} into the {@code (1, 1)} {@code loss}. Numerically
     * stable: computed in log space after subtracting each row's maximum, so any finite logits
     * give a finite loss.
     */
    void softmaxCrossEntropy(DenseMatrix logits, int[] labels, DenseMatrix probabilities, DenseMatrix loss);

    /** {@code dLogits (+)= dLoss * (probabilities - onehot(labels)) / rows}. */
    void softmaxCrossEntropyBackward(
            DenseMatrix probabilities, int[] labels, DenseMatrix dLoss, DenseMatrix dLogits, boolean accumulate);

    /** {@code loss = scale * sum (prediction - target)^2} into the {@code (1, 1)} loss. */
    void squaredError(DenseMatrix prediction, DenseMatrix target, float scale, DenseMatrix loss);

    /** {@code dPrediction (+)= 2 * scale * dLoss * (prediction - target)}. */
    void squaredErrorBackward(
            DenseMatrix prediction,
            DenseMatrix target,
            float scale,
            DenseMatrix dLoss,
            DenseMatrix dPrediction,
            boolean accumulate);

    /**
     * The column of the largest element of each row (the first one on ties; NaN never wins), on
     * the host; the matrix needs at least one column.
     */
    int[] argmaxRows(DenseMatrix matrix);
}
