package org.sparselinear.testing;

import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.SplittableRandom;
import java.util.function.Supplier;
import org.sparselinear.api.GradMode;
import org.sparselinear.api.MemoryScope;
import org.sparselinear.api.Parameter;
import org.sparselinear.api.Tensor;

/**
 * Finite-difference gradient check: compares the gradients that backward accumulates into
 * leaves with central differences {@code (L(x + eps) - L(x - eps)) / 2 eps} of the scalar loss
 * {@code L = sum(output * R)}, with {@code R} fixed random weights, on float32 data.
 *
 * <p>The model is a supplier that recomputes the output from the current values of the leaves
 * (inputs made with {@link Tensors#leaf} and layer parameters), which the check perturbs in place
 * and restores. An element passes when {@code |analytic - numeric| <= atol + rtol * max(|analytic|, |numeric|)}.
 */
public final class GradientCheck {

    /** Default perturbation, relative tolerance and absolute floor for float32. */
    public static final double EPS = 1e-2;

    public static final double RTOL = 1e-2;
    public static final double ATOL = 1e-3;

    /** Checks at most this many elements per leaf (a fixed random subset of larger ones). */
    private static final int MAX_ELEMENTS_PER_LEAF = 48;

    private GradientCheck() {}

    /** Checks every leaf with the default tolerances. */
    public static void assertGradients(Supplier<Tensor> model, List<Parameter> leaves) {
        assertGradients(model, leaves, EPS, RTOL, ATOL);
    }

    /** Checks every leaf with these tolerances; fails listing every element that disagrees. */
    @SuppressWarnings("try") // scopes and GradMode are held for their effect
    public static void assertGradients(
            Supplier<Tensor> model, List<Parameter> leaves, double eps, double rtol, double atol) {
        assertTrue(!leaves.isEmpty(), "nothing to check");
        float[] weights;
        List<float[]> analytic = new ArrayList<>();
        try (MemoryScope scope = Tensors.backend().newScope()) {
            leaves.forEach(Parameter::zeroGrad);
            Tensor output = model.get();
            weights = Tensors.uniform(1234, (int) output.value().size(), -1, 1);
            Tensors.weightedSum(output, weights).backward();
            for (Parameter leaf : leaves) {
                analytic.add(Tensors.grad(leaf));
            }
        }
        List<String> failures = new ArrayList<>();
        int checked = 0;
        for (int l = 0; l < leaves.size(); l++) {
            Parameter leaf = leaves.get(l);
            float[] values = leaf.toArray();
            for (int index : elementsToCheck(values.length)) {
                double numeric = centralDifference(model, leaf, values, index, eps, weights);
                double expected = analytic.get(l)[index];
                double tolerance = atol + rtol * Math.max(Math.abs(expected), Math.abs(numeric));
                if (!(Math.abs(expected - numeric) <= tolerance)) {
                    failures.add(String.format(
                            Locale.ROOT,
                            "leaf %d '%s' element %d: backward %.6g, finite difference %.6g",
                            l,
                            leaf.name(),
                            index,
                            expected,
                            numeric));
                }
                checked++;
            }
        }
        if (!failures.isEmpty()) {
            fail(failures.size() + " of " + checked + " gradient elements disagree:\n" + String.join("\n", failures));
        }
    }

    private static double centralDifference(
            Supplier<Tensor> model, Parameter leaf, float[] values, int index, double eps, float[] weights) {
        float original = values[index];
        float plus = (float) (original + eps);
        float minus = (float) (original - eps);
        values[index] = plus;
        double lossPlus = loss(model, leaf, values, weights);
        values[index] = minus;
        double lossMinus = loss(model, leaf, values, weights);
        values[index] = original;
        Tensors.set(leaf, values);
        return (lossPlus - lossMinus) / ((double) plus - minus);
    }

    @SuppressWarnings("try") // scopes and GradMode are held for their effect
    private static double loss(Supplier<Tensor> model, Parameter leaf, float[] values, float[] weights) {
        try (MemoryScope scope = Tensors.backend().newScope();
                GradMode off = GradMode.disable()) {
            Tensors.set(leaf, values);
            return Tensors.dot(model.get().toArray(), weights);
        }
    }

    private static int[] elementsToCheck(int size) {
        if (size <= MAX_ELEMENTS_PER_LEAF) {
            int[] all = new int[size];
            for (int i = 0; i < size; i++) {
                all[i] = i;
            }
            return all;
        }
        return new SplittableRandom(size)
                .ints(0, size)
                .distinct()
                .limit(MAX_ELEMENTS_PER_LEAF)
                .toArray();
    }
}
