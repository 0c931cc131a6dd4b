package org.sparselinear.api;

/**
 * The element-wise activation functions a backend applies with
 * {@link org.sparselinear.spi.ElementwiseOps#activate} and differentiates with
 * {@link org.sparselinear.spi.ElementwiseOps#activateBackward}. Each entry carries its formula
 * and its derivative in double precision: the host reference that the conformance kit checks
 * every backend against and that a backend may use as its host code.
 *
 * <p>The derivative receives both the input {@code x} and the output {@code y = f(x)} of the
 * forward pass, so that each function uses the cheaper or the more accurate one (the sigmoid's
 * {@code y (1 - y)}, GELU's formula in {@code x}).
 *
 * <p>Device kernels select the function by {@link #kernelCode()}, a small integer. Adding an
 * activation is one entry here, appended at the end so that existing codes keep their meaning,
 * plus one case in each device backend's activation kernel (its function and its derivative:
 * {@code elementwise.cl} for OpenCL, {@code elementwise.cu} for CUDA, then {@code build-ptx.sh});
 * the CPU backend computes every function but the rectifier with the formulas here. The
 * conformance kit checks every entry on every backend, and a kernel without the case gives NaN,
 * which fails it.
 */
public enum Activation {

    /** The rectifier {@code max(x, 0)}; derivative {@code 1} where {@code y > 0}, else {@code 0}. */
    RELU {
        @Override
        public double apply(double x) {
            return Math.max(x, 0);
        }

        @Override
        public double derivative(double x, double y) {
            return y > 0 ? 1 : 0;
        }
    },

    /**
     * The leaky rectifier {@code x > 0 ? x : 0.01 x} (Maas et al. 2013, "Rectifier Nonlinearities
     * Improve Neural Network Acoustic Models"; PyTorch's default slope); derivative {@code 1} where
     * {@code x > 0}, else {@value #LEAKY_RELU_SLOPE}.
     */
    LEAKY_RELU {
        @Override
        public double apply(double x) {
            return x > 0 ? x : LEAKY_RELU_SLOPE * x;
        }

        @Override
        public double derivative(double x, double y) {
            return x > 0 ? 1 : LEAKY_RELU_SLOPE;
        }
    },

    /** The logistic sigmoid {@code 1 / (1 + exp(-x))}; derivative {@code y (1 - y)}. */
    SIGMOID {
        @Override
        public double apply(double x) {
            return 1 / (1 + Math.exp(-x));
        }

        @Override
        public double derivative(double x, double y) {
            return y * (1 - y);
        }
    },

    /** The hyperbolic tangent; derivative {@code 1 - y^2}. */
    TANH {
        @Override
        public double apply(double x) {
            return Math.tanh(x);
        }

        @Override
        public double derivative(double x, double y) {
            return 1 - y * y;
        }
    },

    /**
     * The Gaussian error linear unit in its tanh approximation (Hendrycks and Gimpel 2016,
     * "Gaussian Error Linear Units (GELUs)", eq. in section 2; PyTorch's
     * {@code gelu(approximate='tanh')}): {@code 0.5 x (1 + tanh(u))} with
     * {@code u = sqrt(2 / pi) (x + 0.044715 x^3)}. The approximation needs only {@code tanh},
     * which every device has, where the exact form needs {@code erf}; the two differ by less
     * than 5e-4. Derivative {@code 0.5 (1 + t) + 0.5 x (1 - t^2) sqrt(2 / pi) (1 + 3 * 0.044715 x^2)}
     * with {@code t = tanh(u)}.
     */
    GELU {
        @Override
        public double apply(double x) {
            return 0.5 * x * (1 + Math.tanh(geluArgument(x)));
        }

        @Override
        public double derivative(double x, double y) {
            double t = Math.tanh(geluArgument(x));
            return 0.5 * (1 + t) + 0.5 * x * (1 - t * t) * SQRT_2_OVER_PI * (1 + 3 * GELU_CUBIC * x * x);
        }
    },

    /**
     * Softplus {@code log(1 + exp(x))}, computed as {@code max(x, 0) + log1p(exp(-|x|))} so that
     * it never overflows; derivative the sigmoid of {@code x}.
     */
    SOFTPLUS {
        @Override
        public double apply(double x) {
            return Math.max(x, 0) + Math.log1p(Math.exp(-Math.abs(x)));
        }

        @Override
        public double derivative(double x, double y) {
            return 1 / (1 + Math.exp(-x));
        }
    };

    /** The slope of {@link #LEAKY_RELU} for negative inputs. */
    public static final double LEAKY_RELU_SLOPE = 0.01;

    /** {@code sqrt(2 / pi)}, the scale of {@link #GELU}'s tanh argument. */
    public static final double SQRT_2_OVER_PI = 0.7978845608028654;

    /** The cubic coefficient of {@link #GELU}'s tanh argument. */
    public static final double GELU_CUBIC = 0.044715;

    /** {@code f(x)}. */
    public abstract double apply(double x);

    /** {@code f'(x)}, given the input {@code x} and the output {@code y = f(x)}. */
    public abstract double derivative(double x, double y);

    /**
     * The integer a device kernel switches on to select this function: its position in this
     * enum, 0 for {@link #RELU}. New entries go at the end, so codes never change.
     */
    public int kernelCode() {
        return ordinal();
    }

    private static double geluArgument(double x) {
        return SQRT_2_OVER_PI * (x + GELU_CUBIC * x * x * x);
    }
}
