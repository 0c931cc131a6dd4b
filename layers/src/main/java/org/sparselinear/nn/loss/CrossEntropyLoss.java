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
 */
public final class CrossEntropyLoss {

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
        return Tensor.derived(
                loss,
                dLoss -> backend.softmaxCrossEntropyBackward(probabilities, targets, dLoss, logits.gradOrZeros(), true),
                logits);
    }

    @Override
    public String toString() {
        return "CrossEntropyLoss()";
    }
}
