package org.sparselinear.nn.sparsity;

import java.util.Arrays;
import java.util.Locale;
import java.util.Objects;
import org.sparselinear.spi.Checks;

/**
 * How a target sparsity of a whole model is shared among its sparse layers: uniformly (every layer
 * at the target), or by the Erdos-Renyi-Kernel rule of RigL (Evci et al. 2020, after the
 * Erdos-Renyi rule of Mocanu et al. 2018), which gives small layers more of the budget. Use the
 * result as each layer's {@code SparseLinear.options().sparsity(...)}:
 * <pre>{@code
 * double[] s = LayerSparsity.erdosRenyiKernel(0.9, new int[] {784, 2000}, new int[] {2000, 10});
 * new SparseLinear(784, 2000, SparseLinear.options().sparsity(s[0]));
 * new SparseLinear(2000, 10, SparseLinear.options().sparsity(s[1]));
 * }</pre>
 */
public final class LayerSparsity {

    private LayerSparsity() {}

    /** Every layer at {@code sparsity}; one entry per {@code (in, out)} shape. */
    public static double[] uniform(double sparsity, int[]... shapes) {
        Checks.sparsity(sparsity);
        checkShapes(shapes);
        double[] sparsities = new double[shapes.length];
        Arrays.fill(sparsities, sparsity);
        return sparsities;
    }

    /**
     * The Erdos-Renyi-Kernel rule for fully connected layers given as {@code (in, out)} shapes: the
     * density of layer {@code l} is {@code eps * (in_l + out_l) / (in_l * out_l)}, with {@code eps}
     * chosen so that the model keeps {@code (1 - sparsity) * sum_l in_l * out_l} connections. A layer
     * whose density would exceed 1 is made dense (sparsity 0) and {@code eps} is solved again for the
     * others, until no density exceeds 1, as RigL's {@code get_sparsities_erdos_renyi} does (with its
     * default power scale 1). Returns one sparsity per layer, in order.
     *
     * @throws IllegalArgumentException for a sparsity outside [0, 1) or a shape that is not two positive sizes
     */
    public static double[] erdosRenyiKernel(double sparsity, int[]... shapes) {
        Checks.sparsity(sparsity);
        checkShapes(shapes);
        int layers = shapes.length;
        boolean[] dense = new boolean[layers];
        double[] raw = new double[layers];
        double[] size = new double[layers];
        for (int l = 0; l < layers; l++) {
            size[l] = (double) shapes[l][0] * shapes[l][1];
            raw[l] = (shapes[l][0] + (double) shapes[l][1]) / size[l];
        }
        while (true) {
            double budget = 0;
            double divisor = 0;
            double largest = 0;
            for (int l = 0; l < layers; l++) {
                if (dense[l]) {
                    budget -= size[l] * sparsity;
                } else {
                    budget += size[l] * (1 - sparsity);
                    divisor += raw[l] * size[l];
                    largest = Math.max(largest, raw[l]);
                }
            }
            if (divisor == 0) {
                break;
            }
            double eps = budget / divisor;
            if (largest * eps <= 1) {
                double[] sparsities = new double[layers];
                for (int l = 0; l < layers; l++) {
                    sparsities[l] = dense[l] ? 0 : Math.min(1, Math.max(0, 1 - eps * raw[l]));
                }
                return sparsities;
            }
            for (int l = 0; l < layers; l++) {
                if (!dense[l] && raw[l] == largest) {
                    dense[l] = true;
                }
            }
        }
        return new double[layers];
    }

    private static void checkShapes(int[][] shapes) {
        Objects.requireNonNull(shapes, "shapes");
        if (shapes.length == 0) {
            throw new IllegalArgumentException("give at least one (in, out) layer shape");
        }
        for (int l = 0; l < shapes.length; l++) {
            int[] shape = shapes[l];
            if (shape == null || shape.length != 2 || shape[0] < 1 || shape[1] < 1) {
                throw new IllegalArgumentException(String.format(
                        Locale.ROOT,
                        "layer %d: expected a shape {in, out} of two positive sizes, got %s",
                        l,
                        Arrays.toString(shape)));
            }
        }
    }
}
