package org.sparselinear.tck.reference;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import org.sparselinear.api.Connectivity;

/**
 * Plain references for the activation-sparsity and rewiring operations: K-Winners by sorting each
 * row, the boost factors in double, the dense weight gradient by brute force over every
 * {@code (out, in)} position, and gather. Written for clarity, never for speed.
 */
public final class ReferenceSparsityOps {

    private ReferenceSparsityOps() {}

    /** What {@code kWinners} must write: the winners' values and the 0/1 mask, row-major. */
    public record Winners(float[] y, float[] mask) {}

    /**
     * Each row's columns sorted by score {@code x * boost} (a float32 product) from the largest,
     * NaN last, equal scores by column; the first {@code k} win.
     */
    public static Winners kWinners(HostMatrix x, HostMatrix boost, int k) {
        int columns = x.columns();
        float[] y = new float[x.values().length];
        float[] mask = new float[x.values().length];
        for (int r = 0; r < x.rows(); r++) {
            int row = r;
            List<Integer> order = new ArrayList<>();
            for (int c = 0; c < columns; c++) {
                order.add(c);
            }
            order.sort(byScoreThenColumn(c -> x.get(row, c) * boost.get(0, c)));
            for (int j = 0; j < k; j++) {
                int c = order.get(j);
                y[r * columns + c] = x.get(r, c);
                mask[r * columns + c] = 1f;
            }
        }
        return new Winners(y, mask);
    }

    /** Score function of a column. */
    public interface Score {
        float of(int column);
    }

    /** Larger scores first, NaN after every number, {@code -0.0 == 0.0}, ties by lower column. */
    public static Comparator<Integer> byScoreThenColumn(Score score) {
        return (a, b) -> {
            float sa = score.of(a);
            float sb = score.of(b);
            boolean nanA = Float.isNaN(sa);
            boolean nanB = Float.isNaN(sb);
            if (nanA != nanB) {
                return nanA ? 1 : -1;
            }
            if (!nanA && sa != sb) {
                return sa > sb ? -1 : 1;
            }
            return Integer.compare(a, b);
        };
    }

    /** {@code exp(strength * (density - dutyCycle))}, with the exponent's terms as the magnitude. */
    public static Expected boostFactors(HostMatrix dutyCycle, float density, float strength) {
        Expected boost = new Expected(1, dutyCycle.columns());
        for (int f = 0; f < dutyCycle.columns(); f++) {
            double value = Math.exp((double) strength * ((double) density - dutyCycle.get(0, f)));
            // A float32 exponent may be off by a few ulps of |strength| (|density| + |dutyCycle|).
            double exponentError = Math.abs(strength) * (Math.abs(density) + Math.abs(dutyCycle.get(0, f)));
            boost.add(f, value, value * (1 + exponentError));
        }
        return boost;
    }

    /** The dense weight gradient {@code g[o, i] = sum_b dy[b, o] x[b, i]}, in double, with its term magnitudes. */
    public record DenseGradient(int out, int in, double[] values, double[] magnitudes) {

        public double value(int o, int i) {
            return values[o * in + i];
        }

        public double magnitude(int o, int i) {
            return magnitudes[o * in + i];
        }
    }

    public static DenseGradient denseGradient(HostMatrix dy, HostMatrix x) {
        int out = dy.columns();
        int in = x.columns();
        double[] values = new double[out * in];
        double[] magnitudes = new double[out * in];
        for (int b = 0; b < dy.rows(); b++) {
            for (int o = 0; o < out; o++) {
                double d = dy.get(b, o);
                if (d == 0) {
                    continue;
                }
                for (int i = 0; i < in; i++) {
                    double term = d * x.get(b, i);
                    values[o * in + i] += term;
                    magnitudes[o * in + i] += Math.abs(term);
                }
            }
        }
        return new DenseGradient(out, in, values, magnitudes);
    }

    /**
     * The exact answer of {@code topKAbsDenseGradient} when every gradient is exactly
     * representable (small integers): the empty positions by decreasing {@code |g|} (NaN last),
     * ties by row-major position, the first {@code min(k, empty)} of them.
     */
    public static int[][] exactTopK(Connectivity exclude, HostMatrix dy, HostMatrix x, int k) {
        int out = exclude.rows();
        int in = exclude.columns();
        float[] magnitudes = new float[out * in];
        List<Integer> empty = new ArrayList<>();
        for (int o = 0; o < out; o++) {
            for (int i = 0; i < in; i++) {
                float g = 0;
                for (int b = 0; b < dy.rows(); b++) {
                    g += dy.get(b, o) * x.get(b, i);
                }
                magnitudes[o * in + i] = Math.abs(g);
                if (!exclude.contains(o, i)) {
                    empty.add(o * in + i);
                }
            }
        }
        empty.sort(byScoreThenColumn(p -> magnitudes[p]));
        int m = Math.min(k, empty.size());
        int[][] expected = new int[2][m];
        for (int j = 0; j < m; j++) {
            expected[0][j] = empty.get(j) / in;
            expected[1][j] = empty.get(j) % in;
        }
        return expected;
    }

    /** {@code source[positions[j]]}, or 0 where the position is -1. */
    public static float[] gather(float[] source, int[] positions) {
        float[] target = new float[positions.length];
        for (int j = 0; j < positions.length; j++) {
            target[j] = positions[j] >= 0 ? source[positions[j]] : 0f;
        }
        return target;
    }
}
