package org.sparselinear.backend.cpu;

/**
 * Kernels that combine the features of each sample (row) on feature-major data: layer
 * normalisation, softmax cross-entropy, row arg-max, and the per-feature sums over the batch
 * (bias add and bias gradient). Loops run features outermost and the batch innermost, so that
 * every inner loop is contiguous.
 */
final class BatchKernels {

    private BatchKernels() {}

    /** {@code y[b, f] += row[f]}. */
    static void addRowVector(float[] y, float[] row, int batch) {
        for (int f = 0; f < row.length; f++) {
            float v = row[f];
            int offset = f * batch;
            for (int b = 0; b < batch; b++) {
                y[offset + b] += v;
            }
        }
    }

    /** {@code sums[f] (+)= sum_b x[b, f]}. */
    static void columnSums(float[] x, float[] sums, int batch, boolean accumulate) {
        for (int f = 0; f < sums.length; f++) {
            float s = sum(x, f * batch, batch);
            sums[f] = accumulate ? sums[f] + s : s;
        }
    }

    private static float sum(float[] x, int offset, int length) {
        float s0 = 0;
        float s1 = 0;
        float s2 = 0;
        float s3 = 0;
        int i = 0;
        for (; i + 3 < length; i += 4) {
            s0 += x[offset + i];
            s1 += x[offset + i + 1];
            s2 += x[offset + i + 2];
            s3 += x[offset + i + 3];
        }
        for (; i < length; i++) {
            s0 += x[offset + i];
        }
        return (s0 + s1) + (s2 + s3);
    }

    /** Layer normalisation (Ba et al. 2016) of each row, two-pass mean and biased variance. */
    static void layerNorm(
            float[] x, float[] gamma, float[] beta, float epsilon, float[] y, float[] mean, float[] rstd, int batch) {
        int features = gamma.length;
        java.util.Arrays.fill(mean, 0f);
        java.util.Arrays.fill(rstd, 0f);
        for (int f = 0; f < features; f++) {
            int offset = f * batch;
            for (int b = 0; b < batch; b++) {
                mean[b] += x[offset + b];
            }
        }
        for (int b = 0; b < batch; b++) {
            mean[b] /= features;
        }
        for (int f = 0; f < features; f++) {
            int offset = f * batch;
            for (int b = 0; b < batch; b++) {
                float d = x[offset + b] - mean[b];
                rstd[b] += d * d;
            }
        }
        for (int b = 0; b < batch; b++) {
            rstd[b] = (float) (1.0 / Math.sqrt(rstd[b] / features + epsilon));
        }
        for (int f = 0; f < features; f++) {
            int offset = f * batch;
            float g = gamma[f];
            float h = beta[f];
            for (int b = 0; b < batch; b++) {
                y[offset + b] = (x[offset + b] - mean[b]) * rstd[b] * g + h;
            }
        }
    }

    /**
     * Gradients of {@link #layerNorm} (any output may be null): with {@code xhat = (x - mean) * rstd} and
     * {@code g = dy * gamma}, {@code dx += rstd * (g - mean_f(g) - xhat * mean_f(g * xhat))},
     * {@code dGamma += sum_b dy * xhat}, {@code dBeta += sum_b dy}.
     */
    static void layerNormBackward(
            float[] x,
            float[] gamma,
            float[] mean,
            float[] rstd,
            float[] dy,
            float[] dx,
            float[] dGamma,
            float[] dBeta,
            int batch) {
        int features = gamma.length;
        float[] meanG = new float[batch];
        float[] meanGx = new float[batch];
        for (int f = 0; f < features; f++) {
            int offset = f * batch;
            float gf = gamma[f];
            float sumDyXhat = 0;
            float sumDy = 0;
            for (int b = 0; b < batch; b++) {
                float xhat = (x[offset + b] - mean[b]) * rstd[b];
                float d = dy[offset + b];
                float g = d * gf;
                meanG[b] += g;
                meanGx[b] += g * xhat;
                sumDyXhat += d * xhat;
                sumDy += d;
            }
            if (dGamma != null) {
                dGamma[f] += sumDyXhat;
            }
            if (dBeta != null) {
                dBeta[f] += sumDy;
            }
        }
        for (int b = 0; b < batch; b++) {
            meanG[b] /= features;
            meanGx[b] /= features;
        }
        if (dx == null) {
            return;
        }
        for (int f = 0; f < features; f++) {
            int offset = f * batch;
            float gf = gamma[f];
            for (int b = 0; b < batch; b++) {
                float xhat = (x[offset + b] - mean[b]) * rstd[b];
                dx[offset + b] += rstd[b] * (dy[offset + b] * gf - meanG[b] - xhat * meanGx[b]);
            }
        }
    }

    /** Row-wise softmax into {@code probabilities}; returns the mean cross-entropy against {@code labels}. */
    static float softmaxCrossEntropy(float[] logits, int[] labels, float[] probabilities, int batch, int classes) {
        float[] max = new float[batch];
        java.util.Arrays.fill(max, Float.NEGATIVE_INFINITY);
        for (int c = 0; c < classes; c++) {
            int offset = c * batch;
            for (int b = 0; b < batch; b++) {
                max[b] = Math.max(max[b], logits[offset + b]);
            }
        }
        float[] total = new float[batch];
        for (int c = 0; c < classes; c++) {
            int offset = c * batch;
            for (int b = 0; b < batch; b++) {
                float e = (float) Math.exp(logits[offset + b] - max[b]);
                probabilities[offset + b] = e;
                total[b] += e;
            }
        }
        double loss = 0;
        for (int b = 0; b < batch; b++) {
            loss += Math.log(total[b]) + max[b] - logits[labels[b] * batch + b];
            total[b] = 1f / total[b];
        }
        for (int c = 0; c < classes; c++) {
            int offset = c * batch;
            for (int b = 0; b < batch; b++) {
                probabilities[offset + b] *= total[b];
            }
        }
        return (float) (loss / batch);
    }

    /** {@code dLogits (+)= dLoss * (probabilities - onehot) / batch}. */
    static void softmaxCrossEntropyBackward(
            float[] probabilities, int[] labels, float dLoss, float[] dLogits, int batch, boolean accumulate) {
        float scale = dLoss / batch;
        for (int i = 0; i < probabilities.length; i++) {
            float g = probabilities[i] * scale;
            dLogits[i] = accumulate ? dLogits[i] + g : g;
        }
        for (int b = 0; b < batch; b++) {
            dLogits[labels[b] * batch + b] -= scale;
        }
    }

    /** The column of each row's largest element, the first on ties. */
    static int[] argmaxRows(float[] x, int batch, int classes) {
        int[] best = new int[batch];
        for (int c = 1; c < classes; c++) {
            int offset = c * batch;
            for (int b = 0; b < batch; b++) {
                if (x[offset + b] > x[best[b] * batch + b]) {
                    best[b] = c;
                }
            }
        }
        return best;
    }
}
