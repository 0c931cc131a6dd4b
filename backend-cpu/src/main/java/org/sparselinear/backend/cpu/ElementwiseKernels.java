package org.sparselinear.backend.cpu;

import java.util.Arrays;
import org.sparselinear.api.Activation;
import org.sparselinear.spi.AdagradSettings;
import org.sparselinear.spi.AdamSettings;
import org.sparselinear.spi.SgdSettings;

/**
 * Kernels that treat a matrix as a flat array (layout does not matter): activations, axpy and
 * scaling, squared error, and the fused optimizer updates; and dropout, flat too except that its
 * mask follows each element's row-major index. Large arrays are split into one contiguous range
 * per thread.
 */
final class ElementwiseKernels {

    private final WorkerPool pool;
    private final RowKernels rows;

    ElementwiseKernels(WorkerPool pool, RowKernels rows) {
        this.pool = pool;
        this.rows = rows;
    }

    /**
     * {@code y = f(x)}: the rectifier in a plain loop, every other function through its double
     * formula in {@link Activation#apply}, rounded to float.
     */
    void activate(Activation f, float[] x, float[] y) {
        if (f == Activation.RELU) {
            pool.forRange(x.length, 1, (start, end) -> {
                for (int i = start; i < end; i++) {
                    y[i] = Math.max(x[i], 0f);
                }
            });
            return;
        }
        pool.forRange(x.length, 8, (start, end) -> {
            for (int i = start; i < end; i++) {
                y[i] = (float) f.apply(x[i]);
            }
        });
    }

    /** {@code dx (+)= dy * f'(x, y)}, the rectifier through {@link RowKernels#reluBackward}, the others through {@link Activation#derivative}. */
    void activateBackward(Activation f, float[] x, float[] y, float[] dy, float[] dx, boolean accumulate) {
        if (f == Activation.RELU) {
            pool.forRange(y.length, 1, (start, end) -> rows.reluBackward(y, dy, dx, accumulate, start, end));
            return;
        }
        pool.forRange(y.length, 8, (start, end) -> {
            for (int i = start; i < end; i++) {
                float g = (float) (dy[i] * f.derivative(x[i], y[i]));
                dx[i] = accumulate ? dx[i] + g : g;
            }
        });
    }

    /** Every element set to {@code value}, one range per thread for large arrays (a gradient's zeroing). */
    void fill(float[] x, float value) {
        pool.forRange(x.length, 1, (start, end) -> Arrays.fill(x, start, end, value));
    }

    /** Sets {@code x} to +0 in the ranges {@code where}, the only places it may hold anything else. */
    void clear(float[] x, NonZeroRanges where) {
        where.forEach(pool, (start, end) -> Arrays.fill(x, start, end, 0f));
    }

    void axpy(float alpha, float[] x, float[] y) {
        pool.forRange(x.length, 1, (start, end) -> {
            for (int i = start; i < end; i++) {
                y[i] += alpha * x[i];
            }
        });
    }

    void scale(float[] x, float alpha) {
        pool.forRange(x.length, 1, (start, end) -> {
            for (int i = start; i < end; i++) {
                x[i] *= alpha;
            }
        });
    }

    /**
     * {@code y (+)= x * (m * scale)}, {@code m} the 0/1 mask of {@link org.sparselinear.spi.DropoutMask}
     * at each element's row-major index: the one kernel here where the layout counts. The matrix
     * is feature-major, so each thread's range is cut into parts of columns
     * ({@link RowKernels#dropout}).
     */
    void dropout(
            float[] x, float[] y, int height, int columns, long key, int threshold, float scale, boolean accumulate) {
        pool.forRange(x.length, 4, (start, end) -> {
            for (int i = start; i < end; ) {
                int column = i / height;
                int base = column * height;
                int to = Math.min(end - base, height);
                rows.dropout(x, y, base, i - base, to, column, columns, key, threshold, scale, accumulate);
                i = base + to;
            }
        });
    }

    /** {@code scale * sum (p - t)^2}, summed in double. */
    static float squaredError(float[] prediction, float[] target, float scale) {
        double sum = 0;
        for (int i = 0; i < prediction.length; i++) {
            double d = prediction[i] - target[i];
            sum += d * d;
        }
        return (float) (scale * sum);
    }

    void squaredErrorBackward(
            float[] prediction, float[] target, float factor, float[] dPrediction, boolean accumulate) {
        pool.forRange(prediction.length, 1, (start, end) -> {
            for (int i = start; i < end; i++) {
                float g = factor * (prediction[i] - target[i]);
                dPrediction[i] = accumulate ? dPrediction[i] + g : g;
            }
        });
    }

    /** SGD with optional momentum, Nesterov momentum (Sutskever et al. 2013) and L2 weight decay. */
    /**
     * SGD's step over all of {@code p}, or only over the ranges {@code where} when they are given: the gradient is
     * zero elsewhere, and the caller checks that there is no momentum or weight decay, which would move those
     * weights.
     */
    void sgd(float[] p, float[] g, float[] v, SgdSettings s, NonZeroRanges where) {
        float lr = s.learningRate();
        float momentum = s.momentum();
        float decay = s.weightDecay();
        boolean nesterov = s.nesterov();
        over(p.length, 4, where, (start, end) -> {
            for (int i = start; i < end; i++) {
                float d = g[i] + decay * p[i];
                if (v != null) {
                    float velocity = momentum * v[i] + d;
                    v[i] = velocity;
                    d = nesterov ? d + momentum * velocity : velocity;
                }
                p[i] -= lr * d;
            }
        });
    }

    /** {@code body} over {@code [0, length)} in parts, or over the ranges {@code where} when they are given. */
    private void over(int length, long workPerElement, NonZeroRanges where, WorkerPool.RangeBody body) {
        if (where == null) {
            pool.forRange(length, workPerElement, body);
        } else {
            where.forEach(pool, body);
        }
    }

    /** Adam (Kingma and Ba 2015) with bias correction and L2 weight decay, as PyTorch computes it. */
    void adam(float[] p, float[] g, float[] m, float[] v, AdamSettings s, long step) {
        float beta1 = s.beta1();
        float beta2 = s.beta2();
        float decay = s.weightDecay();
        float epsilon = s.epsilon();
        float stepSize = (float) (s.learningRate() / (1 - Math.pow(beta1, step)));
        float correction2 = (float) Math.sqrt(1 - Math.pow(beta2, step));
        pool.forRange(p.length, 8, (start, end) -> {
            for (int i = start; i < end; i++) {
                float d = g[i] + decay * p[i];
                float first = beta1 * m[i] + (1 - beta1) * d;
                float second = beta2 * v[i] + (1 - beta2) * d * d;
                m[i] = first;
                v[i] = second;
                p[i] -= stepSize * first / ((float) Math.sqrt(second) / correction2 + epsilon);
            }
        });
    }

    /**
     * Adagrad (Duchi, Hazan and Singer 2011) with learning-rate decay and L2 weight decay, as
     * PyTorch computes it. An entry whose decayed gradient is exactly zero would keep its value
     * and sum bit for bit, so it is skipped ({@link RowKernels#adagrad}): only its gradient is read.
     */
    /**
     * Adagrad's step over all of {@code p}, or only over the ranges {@code where} when they are given: the
     * gradient is zero elsewhere, and Adagrad leaves those elements as they are (the caller checks there is no
     * weight decay, which would move them).
     */
    void adagrad(float[] p, float[] g, float[] sum, AdagradSettings s, long step, NonZeroRanges where) {
        float decay = s.weightDecay();
        float epsilon = s.epsilon();
        float stepSize = s.stepLearningRate(step);
        over(p.length, 1, where, (start, end) -> rows.adagrad(p, g, sum, decay, epsilon, stepSize, start, end));
    }
}
