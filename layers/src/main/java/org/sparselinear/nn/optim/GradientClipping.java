package org.sparselinear.nn.optim;

import java.util.List;
import java.util.Locale;
import org.sparselinear.api.Backend;
import org.sparselinear.api.DenseMatrix;
import org.sparselinear.api.MemoryScope;
import org.sparselinear.api.Parameter;
import org.sparselinear.nn.Parameters;
import org.sparselinear.spi.Checks;

/**
 * Gradient clipping by global norm (Pascanu, Mikolov and Bengio 2013, "On the difficulty of
 * training recurrent neural networks"), as PyTorch's {@code clip_grad_norm_}: call it between
 * {@code loss.backward()} and {@code optimizer.step()}.
 */
public final class GradientClipping {

    private GradientClipping() {}

    /**
     * Rescales the gradients of {@code parameters} so that their global L2 norm (over all of them
     * together) is at most {@code maxNorm}: when the norm {@code n} exceeds it, every gradient is
     * multiplied by {@code maxNorm / n} on its backend, so the norm becomes {@code maxNorm} (up to
     * float rounding); otherwise nothing changes. PyTorch divides by {@code n + 1e-6}, which only
     * guards against a zero norm that cannot be clipped; this scales to {@code maxNorm} exactly.
     *
     * <p>Cost: the gradients are not downloaded. Each parameter's sum of squares is computed on its
     * backend ({@code squaredError} against a temporary zero matrix of the gradient's shape, freed
     * here) and one float per parameter comes back; the sum over parameters is in double. When
     * clipping, one {@code scale} per parameter. For a sparse layer the gradient is that of the
     * existing connections only, so the norm is over them.
     *
     * @param maxNorm the largest norm allowed, finite, > 0
     * @return the global norm before clipping
     * @throws IllegalArgumentException for an empty list, a null or repeated parameter (it would be
     *         counted and scaled twice), or a bad {@code maxNorm}
     * @throws ArithmeticException when the norm is not finite (a gradient holds NaN or infinity):
     *         scaling would turn every gradient into NaN or zero, so nothing is changed and the step
     *         should be skipped or the learning rate lowered
     */
    public static double clipByGlobalNorm(List<Parameter> parameters, double maxNorm) {
        List<Parameter> checked = Parameters.forOptimizer(parameters, "clipByGlobalNorm");
        Checks.positiveFinite(maxNorm, "clipByGlobalNorm maxNorm");
        double sumOfSquares = 0;
        for (Parameter parameter : checked) {
            sumOfSquares += sumOfSquares(parameter.grad());
        }
        double norm = Math.sqrt(sumOfSquares);
        if (!Double.isFinite(norm)) {
            throw new ArithmeticException(String.format(
                    Locale.ROOT,
                    "the global gradient norm is %s: a gradient of %d parameters holds NaN or infinity; nothing was "
                            + "clipped (skip the step, or lower the learning rate)",
                    norm,
                    checked.size()));
        }
        if (norm > maxNorm) {
            float factor = (float) (maxNorm / norm);
            for (Parameter parameter : checked) {
                parameter.backend().scale(parameter.grad(), factor);
            }
        }
        return norm;
    }

    /** {@code sum g^2} of one gradient, computed on its backend; one float comes back. */
    private static double sumOfSquares(DenseMatrix gradient) {
        Backend backend = gradient.backend();
        try (MemoryScope scope = backend.newScope()) {
            DenseMatrix zeros = backend.zeros(gradient.rows(), gradient.columns());
            DenseMatrix sum = backend.zeros(1, 1);
            backend.squaredError(gradient, zeros, 1f, sum);
            return backend.download(sum)[0];
        }
    }
}
