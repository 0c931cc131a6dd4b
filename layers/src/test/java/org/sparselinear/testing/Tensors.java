package org.sparselinear.testing;

import java.util.SplittableRandom;
import org.sparselinear.api.Backend;
import org.sparselinear.api.Backends;
import org.sparselinear.api.DenseMatrix;
import org.sparselinear.api.Parameter;
import org.sparselinear.api.Tensor;

/** Test helpers to make host arrays and tensors on the default backend, and to read and set them. */
public final class Tensors {

    private Tensors() {}

    /** The backend the layers use by default. */
    public static Backend backend() {
        return Backends.get();
    }

    /** {@code n} values from {@code U(low, high)}, reproducible from {@code seed}. */
    public static float[] uniform(long seed, int n, double low, double high) {
        SplittableRandom random = new SplittableRandom(seed);
        float[] values = new float[n];
        for (int i = 0; i < n; i++) {
            values[i] = (float) random.nextDouble(low, high);
        }
        return values;
    }

    /** {@code n} values with {@code 0.1 <= |x| < 1} and random signs: safe for ReLU's kink at 0. */
    public static float[] awayFromZero(long seed, int n) {
        SplittableRandom random = new SplittableRandom(seed);
        float[] values = new float[n];
        for (int i = 0; i < n; i++) {
            values[i] = (float) (random.nextDouble(0.1, 1.0) * (random.nextBoolean() ? 1 : -1));
        }
        return values;
    }

    /** A constant tensor of shape {@code (rows, columns)}. */
    public static Tensor constant(float[] values, int rows, int columns) {
        return Tensor.constant(backend().upload(values, rows, columns));
    }

    /** A leaf that requires a gradient (a parameter named "input"), shape {@code (rows, columns)}. */
    public static Parameter leaf(float[] values, int rows, int columns) {
        return new Parameter("input", backend().upload(values, rows, columns));
    }

    /** Overwrites a parameter's values (row-major). */
    public static void set(Parameter parameter, float[] values) {
        Backend backend = parameter.backend();
        DenseMatrix source = backend.upload(values, parameter.rows(), parameter.columns());
        backend.copy(source, parameter.value());
        source.close();
    }

    /** A parameter's gradient, row-major, on the host. */
    public static float[] grad(Tensor tensor) {
        return tensor.backend().download(tensor.grad());
    }

    /**
     * The scalar {@code sum_i output_i * weights_i}, as a graph node whose backward adds
     * {@code dLoss * weights} to the output's gradient: turns any output into a loss whose gradient
     * exercises every output element with a different weight.
     */
    public static Tensor weightedSum(Tensor output, float[] weights) {
        Backend backend = output.backend();
        DenseMatrix loss = backend.upload(new float[] {(float) dot(output.toArray(), weights)}, 1, 1);
        return Tensor.derived(
                loss,
                dLoss -> {
                    float scale = backend.download(dLoss)[0];
                    float[] gradient = new float[weights.length];
                    for (int i = 0; i < weights.length; i++) {
                        gradient[i] = scale * weights[i];
                    }
                    DenseMatrix upstream = backend.upload(gradient, output.rows(), output.columns());
                    backend.axpy(1f, upstream, output.gradOrZeros());
                },
                output);
    }

    /** {@code sum_i a_i b_i} in double. */
    public static double dot(float[] a, float[] b) {
        if (a.length != b.length) {
            throw new IllegalArgumentException("lengths differ: " + a.length + " and " + b.length);
        }
        double sum = 0;
        for (int i = 0; i < a.length; i++) {
            sum += (double) a[i] * b[i];
        }
        return sum;
    }
}
