package org.sparselinear.tck.reference;

/**
 * Reference layer normalisation over the columns of each row, forward and backward, in double.
 * The magnitude of a normalised value {@code xhat = (x - mean) * rstd} is taken as
 * {@code (|x| + |mean|) * rstd}: the subtraction, not the result, sets its rounding.
 */
public final class ReferenceLayerNorm {

    /** The three outputs of the forward pass. */
    public record Forward(Expected y, Expected mean, Expected rstd) {}

    /** The three gradients of the backward pass, each as if accumulated into zeros. */
    public record Backward(Expected dx, Expected dGamma, Expected dBeta) {}

    private ReferenceLayerNorm() {}

    public static Forward forward(HostMatrix x, float[] gamma, float[] beta, float epsilon) {
        int rows = x.rows();
        int n = x.columns();
        Expected y = new Expected(rows, n);
        Expected means = new Expected(1, rows);
        Expected rstds = new Expected(1, rows);
        for (int r = 0; r < rows; r++) {
            double sum = 0;
            double sumOfMagnitudes = 0;
            for (int c = 0; c < n; c++) {
                sum += x.get(r, c);
                sumOfMagnitudes += Math.abs(x.get(r, c));
            }
            double mean = sum / n;
            double squares = 0;
            for (int c = 0; c < n; c++) {
                squares += (x.get(r, c) - mean) * (x.get(r, c) - mean);
            }
            double rstd = 1 / Math.sqrt(squares / n + epsilon);
            means.add(r, mean, sumOfMagnitudes / n);
            rstds.add(r, rstd);
            for (int c = 0; c < n; c++) {
                double xhat = (x.get(r, c) - mean) * rstd;
                double xhatMagnitude = (Math.abs(x.get(r, c)) + Math.abs(mean)) * rstd;
                y.add(r * n + c, xhat * gamma[c] + beta[c], xhatMagnitude * Math.abs(gamma[c]) + Math.abs(beta[c]));
            }
        }
        return new Forward(y, means, rstds);
    }

    /**
     * With {@code g = gamma * dy}: {@code dx = rstd * (g - mean_c(g) - xhat * mean_c(g * xhat))},
     * {@code dGamma = sum_r dy * xhat}, {@code dBeta = sum_r dy}; mean and rstd as given.
     */
    public static Backward backward(HostMatrix x, float[] gamma, float[] mean, float[] rstd, HostMatrix dy) {
        int rows = x.rows();
        int n = x.columns();
        Expected dx = new Expected(rows, n);
        Expected dGamma = new Expected(1, n);
        Expected dBeta = new Expected(1, n);
        double[] xhat = new double[n];
        double[] xhatMagnitude = new double[n];
        for (int r = 0; r < rows; r++) {
            double meanOfG = 0;
            double meanOfGMagnitude = 0;
            double meanOfGXhat = 0;
            double meanOfGXhatMagnitude = 0;
            for (int c = 0; c < n; c++) {
                xhat[c] = ((double) x.get(r, c) - mean[r]) * rstd[r];
                xhatMagnitude[c] = (Math.abs(x.get(r, c)) + Math.abs(mean[r])) * rstd[r];
                double g = (double) gamma[c] * dy.get(r, c);
                meanOfG += g / n;
                meanOfGMagnitude += Math.abs(g) / n;
                meanOfGXhat += g * xhat[c] / n;
                meanOfGXhatMagnitude += Math.abs(g) * xhatMagnitude[c] / n;
            }
            for (int c = 0; c < n; c++) {
                double g = (double) gamma[c] * dy.get(r, c);
                dx.add(
                        r * n + c,
                        rstd[r] * (g - meanOfG - xhat[c] * meanOfGXhat),
                        rstd[r] * (Math.abs(g) + meanOfGMagnitude + xhatMagnitude[c] * meanOfGXhatMagnitude));
                dGamma.add(c, dy.get(r, c) * xhat[c], Math.abs(dy.get(r, c)) * xhatMagnitude[c]);
                dBeta.add(c, dy.get(r, c));
            }
        }
        return new Backward(dx, dGamma, dBeta);
    }
}
