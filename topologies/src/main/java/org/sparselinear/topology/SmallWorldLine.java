package org.sparselinear.topology;

/**
 * Where the neurons of a small-world layer sit: inputs and outputs on one line, one unit apart,
 * the shorter layer centred against the longer one. Input {@code i} sits at
 * {@code i + max(0, out - in) / 2} and output {@code o} at {@code o + max(0, in - out) / 2}, so
 * the distance of {@code (o, i)} is {@code |2o + in - out - 2i| / 2}.
 *
 * <p>When {@code in - out} is even, every distance is a whole number; when it is odd, every
 * distance is a whole number plus one half ({@link #halfShift()}). Either way the distances are
 * indexed by a whole <em>step</em> {@code j >= 0}: {@code distance = j + shift}, with
 * {@code shift} 0 or 1/2. For one output the inputs form two runs that walk away from it, one to
 * the right (inputs {@link #rightOrigin}{@code (o) + j}) and one to the left (inputs
 * {@link #leftOrigin}{@code (o) - j}); each run's steps are a contiguous range.
 */
final class SmallWorldLine {

    private final int in;
    private final int out;
    private final boolean halfShift;

    SmallWorldLine(int in, int out) {
        this.in = in;
        this.out = out;
        this.halfShift = ((in - out) & 1) != 0;
    }

    /** Number of inputs. */
    int in() {
        return in;
    }

    /** Number of outputs. */
    int out() {
        return out;
    }

    /** Whether every distance is a whole number plus one half ({@code in - out} is odd). */
    boolean halfShift() {
        return halfShift;
    }

    /** The distance at step {@code j}: {@code j} or {@code j + 1/2}. */
    double distance(int j) {
        return halfShift ? j + 0.5 : j;
    }

    /** One more than the largest step any pair can have. */
    int steps() {
        return Math.max(in, out) + 1;
    }

    /** The input at step 0 of output {@code o}'s right run: the nearest input at or right of it. */
    int rightOrigin(int o) {
        return (int) Math.floorDiv(2L * o + in - out + 1, 2);
    }

    /** The input at step 0 of output {@code o}'s left run (its distance is {@link #distance}{@code (0)}). */
    int leftOrigin(int o) {
        return (int) Math.floorDiv(2L * o + in - out, 2);
    }

    /** The first step of output {@code o}'s right run that is an input. */
    int rightFirst(int o) {
        return Math.max(0, -rightOrigin(o));
    }

    /** The last step of output {@code o}'s right run; below {@link #rightFirst} when the run is empty. */
    int rightLast(int o) {
        return in - 1 - rightOrigin(o);
    }

    /**
     * The first step of output {@code o}'s left run that is an input. With whole distances the
     * left run starts at step 1: step 0 is the input facing the output, which the right run holds.
     */
    int leftFirst(int o) {
        return Math.max(halfShift ? 0 : 1, leftOrigin(o) - (in - 1));
    }

    /** The last step of output {@code o}'s left run; below {@link #leftFirst} when the run is empty. */
    int leftLast(int o) {
        return leftOrigin(o);
    }

    /** How many {@code (output, input)} pairs are at each step, indexed by step; O(in + out). */
    double[] pairsPerStep() {
        long[] changes = new long[steps() + 1];
        for (int o = 0; o < out; o++) {
            addRun(changes, rightFirst(o), rightLast(o));
            addRun(changes, leftFirst(o), leftLast(o));
        }
        double[] pairs = new double[steps()];
        long running = 0;
        for (int j = 0; j < pairs.length; j++) {
            running += changes[j];
            pairs[j] = running;
        }
        return pairs;
    }

    private static void addRun(long[] changes, int first, int last) {
        if (first <= last) {
            changes[first]++;
            changes[last + 1]--;
        }
    }
}
