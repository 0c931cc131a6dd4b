package org.sparselinear.backend.opencl;

import static org.junit.jupiter.api.Assertions.fail;

import java.util.Locale;
import org.sparselinear.api.Connectivity;

/**
 * Plain double-precision loops over row-major arrays for the shapes this module tests beyond the
 * kit, each giving the values and the sum of |terms| of every element, and the kit's tolerance:
 * {@code |actual - expected| <= 1e-4 |expected| + 1e-5 sum|terms|}.
 */
final class HostReference {

    /** Expected values and the magnitudes (sums of absolute terms) that bound their rounding. */
    record Expected(double[] values, double[] magnitudes) {

        Expected(int size) {
            this(new double[size], new double[size]);
        }

        void add(int index, double term) {
            values[index] += term;
            magnitudes[index] += Math.abs(term);
        }

        /** The same, plus {@code prior} (an accumulating call). */
        Expected plus(float[] prior) {
            Expected sum = new Expected(values.length);
            for (int i = 0; i < values.length; i++) {
                sum.values[i] = values[i] + prior[i];
                sum.magnitudes[i] = magnitudes[i] + Math.abs(prior[i]);
            }
            return sum;
        }
    }

    private HostReference() {
    }

    static Expected spmm(Connectivity w, float[] values, float[] x, int batch) {
        Expected y = new Expected(batch * w.rows());
        for (int b = 0; b < batch; b++) {
            for (int o = 0; o < w.rows(); o++) {
                for (int k = w.rowStart(o); k < w.rowStart(o + 1); k++) {
                    y.add(b * w.rows() + o, (double) values[k] * x[b * w.columns() + w.column(k)]);
                }
            }
        }
        return y;
    }

    static Expected spmmTransposed(Connectivity w, float[] values, float[] dy, int batch) {
        Expected dx = new Expected(batch * w.columns());
        for (int b = 0; b < batch; b++) {
            for (int o = 0; o < w.rows(); o++) {
                for (int k = w.rowStart(o); k < w.rowStart(o + 1); k++) {
                    dx.add(b * w.columns() + w.column(k), (double) values[k] * dy[b * w.rows() + o]);
                }
            }
        }
        return dx;
    }

    static Expected sddmm(Connectivity w, float[] dy, float[] x, int batch) {
        Expected d = new Expected(w.nnz());
        for (int o = 0; o < w.rows(); o++) {
            for (int k = w.rowStart(o); k < w.rowStart(o + 1); k++) {
                for (int b = 0; b < batch; b++) {
                    d.add(k, (double) dy[b * w.rows() + o] * x[b * w.columns() + w.column(k)]);
                }
            }
        }
        return d;
    }

    /** c = op(a) op(b) for row-major a (ra, ca) and b (rb, cb). */
    static Expected gemm(float[] a, int ra, int ca, boolean ta, float[] b, int rb, int cb, boolean tb) {
        int m = ta ? ca : ra;
        int k = ta ? ra : ca;
        int n = tb ? rb : cb;
        Expected c = new Expected(m * n);
        for (int i = 0; i < m; i++) {
            for (int j = 0; j < n; j++) {
                for (int p = 0; p < k; p++) {
                    double left = ta ? a[p * ca + i] : a[i * ca + p];
                    double right = tb ? b[j * cb + p] : b[p * cb + j];
                    c.add(i * n + j, left * right);
                }
            }
        }
        return c;
    }

    static Expected columnSums(float[] x, int rows, int columns) {
        Expected sums = new Expected(columns);
        for (int r = 0; r < rows; r++) {
            for (int c = 0; c < columns; c++) {
                sums.add(c, x[r * columns + c]);
            }
        }
        return sums;
    }

    /** Layer normalisation output y, with magnitudes counting the terms of x - mean. */
    static Expected layerNorm(float[] x, int rows, int columns, float[] gamma, float[] beta, float eps) {
        Expected y = new Expected(rows * columns);
        for (int r = 0; r < rows; r++) {
            double mean = 0;
            for (int c = 0; c < columns; c++) {
                mean += x[r * columns + c];
            }
            mean /= columns;
            double var = 0;
            for (int c = 0; c < columns; c++) {
                double d = x[r * columns + c] - mean;
                var += d * d;
            }
            double rstd = 1 / Math.sqrt(var / columns + eps);
            for (int c = 0; c < columns; c++) {
                int i = r * columns + c;
                y.values[i] = (x[i] - mean) * rstd * gamma[c] + beta[c];
                y.magnitudes[i] = (Math.abs(x[i]) + Math.abs(mean)) * rstd * Math.abs(gamma[c]) + Math.abs(beta[c]);
            }
        }
        return y;
    }

    /** Softmax probabilities of each row. */
    static Expected softmax(float[] logits, int rows, int columns) {
        Expected p = new Expected(rows * columns);
        for (int r = 0; r < rows; r++) {
            double max = Double.NEGATIVE_INFINITY;
            for (int c = 0; c < columns; c++) {
                max = Math.max(max, logits[r * columns + c]);
            }
            double total = 0;
            for (int c = 0; c < columns; c++) {
                total += Math.exp(logits[r * columns + c] - max);
            }
            for (int c = 0; c < columns; c++) {
                int i = r * columns + c;
                p.values[i] = Math.exp(logits[i] - max) / total;
                p.magnitudes[i] = p.values[i] * (1 + Math.abs(logits[i]) + Math.abs(max));
            }
        }
        return p;
    }

    static void assertClose(String what, Expected expected, float[] actual) {
        if (expected.values.length != actual.length) {
            fail(what + ": expected " + expected.values.length + " elements, got " + actual.length);
        }
        int bad = 0;
        int first = -1;
        for (int i = 0; i < actual.length; i++) {
            double allowed = 1e-4 * Math.abs(expected.values[i]) + 1e-5 * expected.magnitudes[i];
            if (!(Math.abs(actual[i] - expected.values[i]) <= allowed)) {
                bad++;
                if (first < 0) {
                    first = i;
                }
            }
        }
        if (bad > 0) {
            fail(String.format(Locale.ROOT, "%s: %d of %d elements out of tolerance; first at %d: expected %.9g, got %.9g",
                    what, bad, actual.length, first, expected.values[first], actual[first]));
        }
    }
}
