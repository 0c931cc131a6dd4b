package org.sparselinear.nn.loss;

import java.util.Arrays;
import java.util.Objects;
import org.sparselinear.api.Backend;
import org.sparselinear.api.DenseMatrix;
import org.sparselinear.api.Tensor;

/**
 * The cross-entropy of the softmax of logits against class labels, averaged over the batch,
 * like PyTorch's {@code nn.CrossEntropyLoss()}: {@code mean_b -log softmax(logits_b)[label_b]}.
 * The softmax is kept for backward, whose gradient is {@code (softmax - onehot) / batch}.
 *
 * <p>With label smoothing {@code eps} (Szegedy et al. 2016, "Rethinking the Inception
 * Architecture for Computer Vision", section 7; PyTorch's {@code label_smoothing}) the target of
 * each row is {@code (1 - eps) onehot + eps / classes}: the loss adds {@code eps} times the mean
 * over classes of {@code -log softmax}, and the gradient becomes {@code (softmax - target) / batch}.
 * The smoothed part of the loss value is computed on the host from the downloaded logits
 * ({@code N x classes} floats per step); the gradient stays on the backend.
 */
public final class CrossEntropyLoss {

    private final float labelSmoothing;

    /** The plain cross-entropy, without label smoothing. */
    public CrossEntropyLoss() {
        this(0);
    }

    /**
     * The cross-entropy against label-smoothed targets.
     *
     * @param labelSmoothing {@code eps} in {@code [0, 1)}; 0 is the plain cross-entropy
     */
    public CrossEntropyLoss(double labelSmoothing) {
        if (!(labelSmoothing >= 0 && labelSmoothing < 1)) {
            throw new IllegalArgumentException("CrossEntropyLoss: label smoothing must be in [0, 1), got "
                    + labelSmoothing + "; 0 turns it off, PyTorch's usual value is 0.1");
        }
        this.labelSmoothing = (float) labelSmoothing;
    }

    /** The label smoothing {@code eps}; 0 when off. */
    public double labelSmoothing() {
        return labelSmoothing;
    }

    /**
     * The loss, a {@code (1, 1)} tensor.
     *
     * @param logits {@code (N, classes)} scores
     * @param labels N classes in {@code [0, classes)}; copied
     */
    public Tensor forward(Tensor logits, int[] labels) {
        Objects.requireNonNull(logits, "CrossEntropyLoss logits");
        Objects.requireNonNull(labels, "CrossEntropyLoss labels");
        int[] shape = logits.shape();
        if (shape.length != 2) {
            throw new IllegalArgumentException("CrossEntropyLoss: expected logits of shape (N, classes), got "
                    + Arrays.toString(shape) + "; flatten them first");
        }
        if (labels.length != logits.rows()) {
            throw new IllegalArgumentException("CrossEntropyLoss: expected one label per row of the logits "
                    + Arrays.toString(shape) + ", got " + labels.length + " labels");
        }
        int[] targets = labels.clone();
        Backend backend = logits.backend();
        DenseMatrix probabilities = backend.zeros(logits.rows(), logits.columns());
        DenseMatrix loss = backend.zeros(1, 1);
        backend.softmaxCrossEntropy(logits.value(), targets, probabilities, loss);
        if (labelSmoothing == 0) {
            return Tensor.derived(
                    loss,
                    dLoss -> backend.softmaxCrossEntropyBackward(
                            probabilities, targets, dLoss, logits.gradOrZeros(), true),
                    logits);
        }
        float plain = backend.download(loss)[0];
        float uniform = meanUniformCrossEntropy(backend.download(logits.value()), logits.columns());
        DenseMatrix smoothed =
                backend.upload(new float[] {(1 - labelSmoothing) * plain + labelSmoothing * uniform}, 1, 1);
        return Tensor.derived(smoothed, dLoss -> smoothedBackward(probabilities, targets, dLoss, logits), logits);
    }

    /**
     * Adds {@code dLoss * ((1 - eps)(softmax - onehot) + eps (softmax - 1 / classes)) / N} to the
     * logits' gradient: the plain backward scaled by {@code 1 - eps}, plus the uniform part.
     */
    private void smoothedBackward(DenseMatrix probabilities, int[] targets, DenseMatrix dLoss, Tensor logits) {
        Backend backend = logits.backend();
        DenseMatrix gradient = logits.gradOrZeros();
        DenseMatrix plainScale = backend.zeros(1, 1);
        backend.copy(dLoss, plainScale);
        backend.scale(plainScale, 1 - labelSmoothing);
        backend.softmaxCrossEntropyBackward(probabilities, targets, plainScale, gradient, true);
        DenseMatrix towardsUniform = backend.zeros(probabilities.rows(), probabilities.columns());
        backend.fill(towardsUniform, -1f / probabilities.columns());
        backend.axpy(1, probabilities, towardsUniform);
        float upstream = backend.download(dLoss)[0];
        backend.axpy(upstream * labelSmoothing / probabilities.rows(), towardsUniform, gradient);
    }

    /** {@code mean_b mean_k -log softmax(z_b)[k] = mean_b (logsumexp(z_b) - mean_k z_bk)}, in double. */
    private static float meanUniformCrossEntropy(float[] logits, int classes) {
        int rows = logits.length / classes;
        double total = 0;
        for (int row = 0; row < rows; row++) {
            int offset = row * classes;
            double max = Double.NEGATIVE_INFINITY;
            double sum = 0;
            for (int k = 0; k < classes; k++) {
                max = Math.max(max, logits[offset + k]);
                sum += logits[offset + k];
            }
            double exponentials = 0;
            for (int k = 0; k < classes; k++) {
                exponentials += Math.exp(logits[offset + k] - max);
            }
            total += max + Math.log(exponentials) - sum / classes;
        }
        return (float) (total / rows);
    }

    @Override
    public String toString() {
        return labelSmoothing == 0 ? "CrossEntropyLoss()" : "CrossEntropyLoss(labelSmoothing=" + labelSmoothing + ")";
    }
}
