package org.sparselinear.backend.cuda;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.fail;

import java.util.Arrays;
import java.util.Random;
import org.sparselinear.api.Connectivity;
import org.sparselinear.device.RunningTopK;

/**
 * Plain double-precision references on row-major arrays for the module's own tests (the conformance kit has its
 * own), and the kit's tolerance rule: |actual - expected| <= 1e-4 |expected| + 1e-5 sum|terms|.
 */
final class HostReference {

    private HostReference() {
    }

    /** Values and the sum of the absolute values of their terms. */
    record Expected(double[] values, double[] magnitudes) {
    }

    static void assertClose(String what, Expected expected, float[] actual) {
        assertEquals(expected.values().length, actual.length, what + ": number of elements");
        for (int i = 0; i < actual.length; i++) {
            double allowed = 1e-4 * Math.abs(expected.values()[i]) + 1e-5 * expected.magnitudes()[i];
            if (!(Math.abs(actual[i] - expected.values()[i]) <= allowed)) {
                fail(what + ": element " + i + " is " + actual[i] + ", expected " + expected.values()[i] + " (allowed "
                        + allowed + ")");
            }
        }
    }

    /** Adds a prior (accumulated output) to an expected result. */
    static Expected plus(Expected result, float[] prior) {
        double[] values = result.values().clone();
        double[] magnitudes = result.magnitudes().clone();
        for (int i = 0; i < values.length; i++) {
            values[i] += prior[i];
            magnitudes[i] += Math.abs(prior[i]);
        }
        return new Expected(values, magnitudes);
    }

    /** y (B, out) = x (B, in) W^T. */
    static Expected spmm(Connectivity w, float[] values, float[] x, int batch) {
        int out = w.rows();
        int in = w.columns();
        double[] y = new double[batch * out];
        double[] m = new double[batch * out];
        for (int o = 0; o < out; o++) {
            for (int k = w.rowStart(o); k < w.rowStart(o + 1); k++) {
                int i = w.column(k);
                for (int b = 0; b < batch; b++) {
                    double term = (double) values[k] * x[b * in + i];
                    y[b * out + o] += term;
                    m[b * out + o] += Math.abs(term);
                }
            }
        }
        return new Expected(y, m);
    }

    /** dx (B, in) = dy (B, out) W. */
    static Expected spmmTransposed(Connectivity w, float[] values, float[] dy, int batch) {
        int out = w.rows();
        int in = w.columns();
        double[] dx = new double[batch * in];
        double[] m = new double[batch * in];
        for (int o = 0; o < out; o++) {
            for (int k = w.rowStart(o); k < w.rowStart(o + 1); k++) {
                int i = w.column(k);
                for (int b = 0; b < batch; b++) {
                    double term = (double) values[k] * dy[b * out + o];
                    dx[b * in + i] += term;
                    m[b * in + i] += Math.abs(term);
                }
            }
        }
        return new Expected(dx, m);
    }

    /** dValues[k] = sum_b dy[b, row(k)] x[b, column(k)]. */
    static Expected sddmm(Connectivity w, float[] dy, float[] x, int batch) {
        int out = w.rows();
        int in = w.columns();
        double[] dv = new double[w.nnz()];
        double[] m = new double[w.nnz()];
        for (int o = 0; o < out; o++) {
            for (int k = w.rowStart(o); k < w.rowStart(o + 1); k++) {
                int i = w.column(k);
                for (int b = 0; b < batch; b++) {
                    double term = (double) dy[b * out + o] * x[b * in + i];
                    dv[k] += term;
                    m[k] += Math.abs(term);
                }
            }
        }
        return new Expected(dv, m);
    }

    /** c (m, n) = op(a) op(b), row-major. */
    static Expected gemm(float[] a, int aRows, int aColumns, boolean transposeA, float[] b, int bRows, int bColumns,
                         boolean transposeB) {
        int m = transposeA ? aColumns : aRows;
        int k = transposeA ? aRows : aColumns;
        int n = transposeB ? bRows : bColumns;
        double[] c = new double[m * n];
        double[] magnitude = new double[m * n];
        for (int i = 0; i < m; i++) {
            for (int j = 0; j < n; j++) {
                for (int p = 0; p < k; p++) {
                    double fromA = transposeA ? a[p * aColumns + i] : a[i * aColumns + p];
                    double fromB = transposeB ? b[j * bColumns + p] : b[p * bColumns + j];
                    c[i * n + j] += fromA * fromB;
                    magnitude[i * n + j] += Math.abs(fromA * fromB);
                }
            }
        }
        return new Expected(c, magnitude);
    }

    /** K-Winners on row-major (rows, columns): the mask of the winners (1 or 0), as the api defines them. */
    static float[] kWinnersMask(float[] x, float[] boost, int rows, int columns, int k) {
        float[] mask = new float[rows * columns];
        long[] keys = new long[columns];
        for (int r = 0; r < rows; r++) {
            for (int c = 0; c < columns; c++) {
                keys[c] = ((long) ~RunningTopK.rank(x[r * columns + c] * boost[c]) << 32) | c;
            }
            long[] sorted = keys.clone();
            Arrays.sort(sorted);
            for (int j = 0; j < k; j++) {
                mask[r * columns + (int) (sorted[j] & 0xffffffffL)] = 1f;
            }
        }
        return mask;
    }

    /** RigL's grow step by brute force on exact (small-integer) data: rows then columns, best first. */
    static int[][] topKAbsDenseGradient(float[] dy, float[] x, int batch, Connectivity exclude, int k) {
        int out = exclude.rows();
        int in = exclude.columns();
        long empty = (long) out * in - exclude.nnz();
        RunningTopK best = new RunningTopK((int) Math.min(k, empty));
        for (int o = 0; o < out; o++) {
            for (int i = 0; i < in; i++) {
                if (exclude.contains(o, i)) {
                    continue;
                }
                double g = 0;
                for (int b = 0; b < batch; b++) {
                    g += (double) dy[b * out + o] * x[b * in + i];
                }
                best.offer((float) Math.abs(g), (long) o * in + i);
            }
        }
        long[] positions = best.drainBestFirst();
        int[] rows = new int[positions.length];
        int[] columns = new int[positions.length];
        for (int j = 0; j < positions.length; j++) {
            rows[j] = (int) (positions[j] / in);
            columns[j] = (int) (positions[j] % in);
        }
        return new int[][] {rows, columns};
    }

    /** Values in [0.5, 1) in absolute value with random signs, as the kit draws them. */
    static float[] signed(int n, Random random) {
        float[] values = new float[n];
        for (int i = 0; i < n; i++) {
            values[i] = (float) ((0.5 + 0.5 * random.nextDouble()) * (random.nextBoolean() ? 1 : -1));
        }
        return values;
    }

    /** Small integers in [-range, range]: products and short sums are exact in float. */
    static float[] integers(int n, int range, Random random) {
        float[] values = new float[n];
        for (int i = 0; i < n; i++) {
            values[i] = random.nextInt(2 * range + 1) - range;
        }
        return values;
    }

    /** A random pattern of about {@code density} (each position drawn independently). */
    static Connectivity randomPattern(int rows, int columns, double density, Random random) {
        int[] pointers = new int[rows + 1];
        int[] indices = new int[Math.max(16, (int) (rows * (long) columns * density * 1.5) + columns)];
        int count = 0;
        for (int r = 0; r < rows; r++) {
            for (int c = 0; c < columns; c++) {
                if (random.nextDouble() < density) {
                    if (count == indices.length) {
                        indices = Arrays.copyOf(indices, indices.length * 2);
                    }
                    indices[count++] = c;
                }
            }
            pointers[r + 1] = count;
        }
        return Connectivity.fromCsr(rows, columns, pointers, Arrays.copyOf(indices, count));
    }

    /** 70 x 300: row 5 fully connected, every fourth row empty, about 5 % elsewhere. */
    static Connectivity skewed() {
        Random random = new Random(3);
        int rows = 70;
        int columns = 300;
        int[] pointers = new int[rows + 1];
        int[] indices = new int[rows * columns];
        int count = 0;
        for (int r = 0; r < rows; r++) {
            for (int c = 0; c < columns; c++) {
                boolean connected = r == 5 || (r % 4 != 0 && random.nextDouble() < 0.05);
                if (connected) {
                    indices[count++] = c;
                }
            }
            pointers[r + 1] = count;
        }
        return Connectivity.fromCsr(rows, columns, pointers, Arrays.copyOf(indices, count));
    }
}
