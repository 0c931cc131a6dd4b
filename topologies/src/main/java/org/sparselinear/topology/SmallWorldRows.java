package org.sparselinear.topology;

import java.util.SplittableRandom;

/**
 * Draws the rows of a small-world layer: each input {@code i} joins output {@code o}'s row
 * independently with probability {@code p(d) = (d + 1)^-lambda}, {@code d} their distance, in
 * time proportional to the connections drawn rather than to the inputs.
 *
 * <p>An output's inputs form two runs walking away from it ({@link SmallWorldLine}); along a run
 * {@code p} only falls. Each run is walked by thinning against a falling envelope: standing at
 * step {@code j}, the envelope {@code q = p(j)} bounds every remaining probability. The walk jumps
 * a geometric gap {@code G = floor(E / -ln(1 - q))}, {@code E} a standard exponential variate
 * ({@link SplittableRandom#nextExponential()}), which is the number of failures before the first
 * success of Bernoulli({@code q}) trials ({@code P(G >= g) = P(E >= -g ln(1 - q)) = (1 - q)^g}),
 * to the candidate {@code k = j + G}, keeps it with probability {@code p(k) / q}, and goes on from
 * {@code k + 1} with the new envelope {@code p(k + 1)}.
 *
 * <p>This is exact, not an approximation. Give every step {@code m} its own uniform {@code V_m}
 * and include it iff {@code V_m < p(m)}: that is the Bernoulli-per-input rule. Under an envelope
 * {@code q >= p(m)}, "is a candidate" is {@code V_m < q} (probability {@code q}) and "is kept
 * given it is a candidate" is {@code V_m < p(m)} (probability {@code p(m) / q}); the geometric
 * gap draws the next candidate without visiting the non-candidates, which are never included.
 * The envelope changes only after a candidate, from what happened at earlier steps, so each
 * later step is still included with probability exactly {@code p(m)}, independently. The only
 * departures are those of double arithmetic: {@code p} rounded to 53 bits, uniforms on a
 * 2^-53 grid and the exponential variates' own rounding.
 *
 * <p>Cost: a candidate is kept with probability {@code p(k) / p(j)}; for the decays that
 * small-world layers solve to, this ratio is close to 1 wherever candidates are dense (about 1.15
 * candidates per connection at 1,000,000 x 1,000,000 and 99.99 %), so a row costs O(its
 * connections + 1) random draws and table reads. The tables ({@code p} and the gap scale side by
 * side, and the running sum of {@code p}) cost 24 bytes per step, {@code max(in, out) + 1} steps.
 */
final class SmallWorldRows implements RowBlocks.RowSampler {

    private final SmallWorldLine line;
    /**
     * By step {@code j}: {@code p} at {@code 2j} and {@code -1 / ln(1 - p)}, the scale of the
     * geometric gap, at {@code 2j + 1}; side by side, so that a step costs one cache miss.
     */
    private final double[] envelope;
    /** {@code sum of p over steps < j}, by {@code j}; one entry more than the steps. */
    private final double[] expectedBefore;

    SmallWorldRows(SmallWorldLine line, double lambda) {
        this.line = line;
        int steps = line.steps();
        this.envelope = new double[2 * steps];
        this.expectedBefore = new double[steps + 1];
        for (int j = 0; j < steps; j++) {
            double p = Math.pow(line.distance(j) + 1, -lambda);
            envelope[2 * j] = p;
            envelope[2 * j + 1] = -1 / Math.log1p(-p);
            expectedBefore[j + 1] = expectedBefore[j] + p;
        }
    }

    @Override
    public double expectedLength(int row) {
        return expected(line.rightFirst(row), line.rightLast(row)) + expected(line.leftFirst(row), line.leftLast(row));
    }

    private double expected(int first, int last) {
        return first <= last ? expectedBefore[last + 1] - expectedBefore[first] : 0;
    }

    @Override
    public void appendRow(int row, SplittableRandom random, ColumnBuffer columns) {
        int leftStart = columns.size();
        int leftOrigin = line.leftOrigin(row);
        for (int j = walk(line.leftFirst(row), line.leftLast(row), random);
                j >= 0;
                j = walk(j + 1, line.leftLast(row), random)) {
            columns.add(leftOrigin - j);
        }
        columns.reverseFrom(leftStart);
        int rightOrigin = line.rightOrigin(row);
        for (int j = walk(line.rightFirst(row), line.rightLast(row), random);
                j >= 0;
                j = walk(j + 1, line.rightLast(row), random)) {
            columns.add(rightOrigin + j);
        }
    }

    /**
     * The first included step in {@code [from, last]}, deciding the steps before it, or -1 when
     * there is none.
     */
    private int walk(int from, int last, SplittableRandom random) {
        int j = from;
        while (j <= last) {
            double bound = envelope[2 * j];
            if (bound >= 1) {
                return j;
            }
            if (bound <= 0) {
                return -1;
            }
            double gap = Math.floor(random.nextExponential() * envelope[2 * j + 1]);
            if (gap > last - j) {
                return -1;
            }
            int candidate = j + (int) gap;
            if (candidate == j || random.nextDouble() * bound < envelope[2 * candidate]) {
                return candidate;
            }
            j = candidate + 1;
        }
        return -1;
    }
}
