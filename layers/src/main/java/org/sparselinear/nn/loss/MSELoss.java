package org.sparselinear.nn.loss;

import java.util.Arrays;
import java.util.Locale;
import java.util.Objects;
import org.sparselinear.api.Backend;
import org.sparselinear.api.DenseMatrix;
import org.sparselinear.api.Tensor;

/**
 * The squared error between a prediction and a target of the same shape, summed or averaged
 * over every element, like PyTorch's {@code nn.MSELoss(reduction=...)}. Gradients flow to the
 * prediction and, when it requires one, to the target.
 */
public final class MSELoss {

    /** How the squared errors are reduced to one number. */
    public enum Reduction {
        /** The mean over all elements (PyTorch's default). */
        MEAN,
        /** The sum over all elements. */
        SUM
    }

    private final Reduction reduction;

    /** The mean squared error, PyTorch's default reduction. */
    public MSELoss() {
        this(Reduction.MEAN);
    }

    /** The squared error reduced by {@code reduction}. */
    public MSELoss(Reduction reduction) {
        this.reduction = Objects.requireNonNull(reduction, "MSELoss reduction");
    }

    /** The loss, a {@code (1, 1)} tensor. */
    public Tensor forward(Tensor prediction, Tensor target) {
        Objects.requireNonNull(prediction, "MSELoss prediction");
        Objects.requireNonNull(target, "MSELoss target");
        if (!Arrays.equals(prediction.shape(), target.shape())) {
            throw new IllegalArgumentException("MSELoss: prediction and target must have the same shape, got "
                    + Arrays.toString(prediction.shape()) + " and " + Arrays.toString(target.shape()));
        }
        Backend backend = prediction.backend();
        DenseMatrix p = prediction.value();
        DenseMatrix t = target.value();
        float scale = reduction == Reduction.MEAN ? (float) (1.0 / p.size()) : 1f;
        DenseMatrix loss = backend.zeros(1, 1);
        backend.squaredError(p, t, scale, loss);
        return Tensor.derived(
                loss,
                dLoss -> {
                    if (prediction.requiresGrad()) {
                        backend.squaredErrorBackward(p, t, scale, dLoss, prediction.gradOrZeros(), true);
                    }
                    if (target.requiresGrad()) {
                        // d/dt (p - t)^2 = 2 (t - p): the same kernel with the roles swapped.
                        backend.squaredErrorBackward(t, p, scale, dLoss, target.gradOrZeros(), true);
                    }
                },
                prediction,
                target);
    }

    /** The reduction. */
    public Reduction reduction() {
        return reduction;
    }

    @Override
    public String toString() {
        return "MSELoss(reduction=" + reduction.name().toLowerCase(Locale.ROOT) + ")";
    }
}
