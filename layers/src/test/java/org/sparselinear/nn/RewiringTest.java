package org.sparselinear.nn;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.function.Function;
import org.junit.jupiter.api.Test;
import org.sparselinear.api.Connectivity;
import org.sparselinear.api.MemoryScope;
import org.sparselinear.api.Parameter;
import org.sparselinear.api.Tensor;
import org.sparselinear.io.Saveable;
import org.sparselinear.io.StateWriter;
import org.sparselinear.nn.optim.Adam;
import org.sparselinear.nn.optim.Optimizer;
import org.sparselinear.nn.optim.SGD;
import org.sparselinear.nn.sparsity.RigL;
import org.sparselinear.nn.sparsity.SET;
import org.sparselinear.testing.Tensors;

/**
 * RigL and SET on a small layer, checked against host references: the positions grown (RigL: the
 * exact top-k of |dY^T X| over the unconnected positions, on integer data where the gradient is
 * exact; SET: random unconnected ones), the positions dropped (the smallest magnitudes), nnz, the
 * validity of the new pattern, and that every kept connection keeps its weight, gradient and
 * optimizer state (SGD momentum, Adam moments) exactly while grown ones start from zero; then that
 * the optimizer goes on updating the same parameter, grown connections included.
 */
class RewiringTest {

    private static final int IN = 12;
    private static final int OUT = 9;
    private static final int BATCH = 6;
    private static final double LR = 0.05;

    /** Values in {-2, -1, 0, 1, 2}: sums of their products are exact in float32. */
    private static float[] smallIntegers(long seed, int n) {
        SplittableRandom random = new SplittableRandom(seed);
        float[] values = new float[n];
        for (int i = 0; i < n; i++) {
            values[i] = random.nextInt(5) - 2;
        }
        return values;
    }

    /** One training step with loss sum(output * r): the output gradient is exactly r. No after-step hook. */
    @SuppressWarnings("try")
    private static void step(SparseLinear layer, Optimizer optimizer, float[] x, float[] r) {
        try (MemoryScope scope = Tensors.backend().newScope()) {
            optimizer.zeroGrad();
            Tensor output = layer.forward(Tensors.constant(x, BATCH, IN));
            Tensors.weightedSum(output, r).backward();
            optimizer.step();
        }
    }

    /** The host state of the layer's weight: pattern, values, gradient and the optimizer's vectors. */
    record Snapshot(Connectivity connectivity, float[] weights, float[] grad, List<float[]> state) {

        static Snapshot of(SparseLinear layer, Function<Parameter, List<float[]>> stateOf) {
            Parameter weight = layer.weightValues();
            return new Snapshot(layer.connectivity(), weight.toArray(), Tensors.grad(weight), stateOf.apply(weight));
        }

        Set<Long> positions() {
            Set<Long> set = new HashSet<>();
            for (int r = 0; r < connectivity.rows(); r++) {
                for (int k = connectivity.rowStart(r); k < connectivity.rowStart(r + 1); k++) {
                    set.add(key(r, connectivity.column(k)));
                }
            }
            return set;
        }

        /** The index of (row, column) in the value vector, or -1. */
        int indexOf(int row, int column) {
            for (int k = connectivity.rowStart(row); k < connectivity.rowStart(row + 1); k++) {
                if (connectivity.column(k) == column) {
                    return k;
                }
            }
            return -1;
        }
    }

    private static long key(int row, int column) {
        return (long) row * IN + column;
    }

    /**
     * The optimizer's state vectors of a parameter, read through the save contract: SGD's
     * {@code momentum_buffer}, or Adam's {@code exp_avg} then {@code exp_avg_sq}, as a checkpoint holds them.
     */
    private static Function<Parameter, List<float[]>> stateOf(Optimizer optimizer) {
        return p -> {
            StateWriter out = new StateWriter();
            ((Saveable) optimizer).describe(out);
            List<float[]> state = new ArrayList<>();
            for (StateWriter.ParameterState entry : out.parameterStates()) {
                if (entry.parameter() == p) {
                    state.add(entry.values());
                }
            }
            assertEquals(optimizer instanceof SGD ? 1 : 2, state.size(), "state vectors of " + p);
            return state;
        };
    }

    /**
     * Checks a rewiring from {@code before} to {@code after}: nnz kept, valid pattern, grown and
     * dropped sets as expected, kept connections unchanged, grown ones all zero.
     */
    private static void assertRewired(
            Snapshot before, Snapshot after, Set<Long> expectedGrown, Set<Long> expectedDropped) {
        Connectivity next = after.connectivity();
        assertEquals(before.connectivity().nnz(), next.nnz(), "nnz stays constant");
        Connectivity.fromCsr(next.rows(), next.columns(), next.rowPointers(), next.columnIndices());
        Set<Long> old = before.positions();
        Set<Long> now = after.positions();
        Set<Long> grown = new HashSet<>(now);
        grown.removeAll(old);
        Set<Long> dropped = new HashSet<>(old);
        dropped.removeAll(now);
        if (expectedGrown != null) {
            assertEquals(expectedGrown, grown, "grown positions");
        }
        assertEquals(expectedDropped, dropped, "dropped positions");
        assertEquals(dropped.size(), grown.size());
        assertFalse(grown.isEmpty(), "something was rewired");
        for (int r = 0; r < next.rows(); r++) {
            for (int k = next.rowStart(r); k < next.rowStart(r + 1); k++) {
                int c = next.column(k);
                int was = before.indexOf(r, c);
                String where = "(" + r + ", " + c + ")";
                if (was < 0) {
                    assertEquals(0f, after.weights()[k], "grown connection " + where + " starts at weight 0");
                    assertEquals(0f, after.grad()[k], "grown connection " + where + " has no gradient");
                    for (float[] vector : after.state()) {
                        assertEquals(0f, vector[k], "grown connection " + where + " starts from zero optimizer state");
                    }
                } else {
                    assertEquals(
                            before.weights()[was],
                            after.weights()[k],
                            "kept connection " + where + " keeps its weight");
                    assertEquals(
                            before.grad()[was], after.grad()[k], "kept connection " + where + " keeps its gradient");
                    for (int s = 0; s < after.state().size(); s++) {
                        assertEquals(
                                before.state().get(s)[was],
                                after.state().get(s)[k],
                                "kept connection " + where + " keeps optimizer state " + s);
                    }
                }
            }
        }
    }

    /** The {@code k} unconnected positions with the largest |sum_b r[b, o] x[b, i]|, ties to the lower position. */
    private static Set<Long> bruteForceTopK(Connectivity connectivity, float[] x, float[] r, int k) {
        List<long[]> candidates = new ArrayList<>();
        for (int o = 0; o < OUT; o++) {
            for (int i = 0; i < IN; i++) {
                if (connectivity.contains(o, i)) {
                    continue;
                }
                double g = 0;
                for (int b = 0; b < BATCH; b++) {
                    g += (double) r[b * OUT + o] * x[b * IN + i];
                }
                candidates.add(new long[] {(long) Math.abs(g), key(o, i)});
            }
        }
        candidates.sort((a, b) -> a[0] != b[0] ? Long.compare(b[0], a[0]) : Long.compare(a[1], b[1]));
        Set<Long> top = new HashSet<>();
        for (int j = 0; j < k; j++) {
            top.add(candidates.get(j)[1]);
        }
        return top;
    }

    /** The positions of the {@code k} smallest |w|, ties to the lower index. */
    private static Set<Long> smallestMagnitudes(Snapshot snapshot, int k) {
        Connectivity c = snapshot.connectivity();
        int[] rows = c.toCoo()[0];
        List<Integer> order = new ArrayList<>();
        for (int j = 0; j < c.nnz(); j++) {
            order.add(j);
        }
        order.sort((a, b) -> {
            float wa = Math.abs(snapshot.weights()[a]);
            float wb = Math.abs(snapshot.weights()[b]);
            return wa != wb ? Float.compare(wa, wb) : Integer.compare(a, b);
        });
        Set<Long> smallest = new HashSet<>();
        for (int j = 0; j < k; j++) {
            int index = order.get(j);
            smallest.add(key(rows[index], c.column(index)));
        }
        return smallest;
    }

    private static SparseLinear layer(org.sparselinear.api.Rewiring rewiring, long seed) {
        return new SparseLinear(
                IN, OUT, SparseLinear.options().sparsity(0.7).seed(seed).rewiring(rewiring));
    }

    @Test
    void rigLWithSgdMomentumGrowsTheExactTopKAndKeepsTheVelocity() {
        checkRigL(parameters -> new SGD(parameters, LR, 0.9));
    }

    @Test
    void rigLWithAdamGrowsTheExactTopKAndKeepsTheMoments() {
        checkRigL(parameters -> new Adam(parameters, LR));
    }

    @SuppressWarnings("try")
    private void checkRigL(Function<List<Parameter>, Optimizer> optimizerFor) {
        RigL rigl = RigL.forPlannedSteps(1000).withDeltaT(3).withAlpha(0.5);
        SparseLinear layer = layer(rigl, 4);
        // The optimizer reports its step to its parameters in order, so a probe listed first sees
        // every parameter updated and the layer not yet rewired.
        Parameter probe = new Parameter("probe", Tensors.backend().zeros(1, 1));
        List<Parameter> parameters = new ArrayList<>(List.of(probe));
        parameters.addAll(layer.parameters());
        Optimizer optimizer = optimizerFor.apply(parameters);
        List<Snapshot> atUpdate = new ArrayList<>();
        List<int[][]> candidatesAtUpdate = new ArrayList<>();
        probe.addUpdateListener(() -> {
            atUpdate.add(Snapshot.of(layer, stateOf(optimizer)));
            candidatesAtUpdate.add(layer.gradientCandidates());
        });
        Parameter weight = layer.weightValues();
        for (int t = 1; t <= 2; t++) {
            Connectivity unchanged = layer.connectivity();
            step(layer, optimizer, smallIntegers(t, BATCH * IN), smallIntegers(100 + t, BATCH * OUT));
            assertNull(candidatesAtUpdate.get(t - 1), "no update at step " + t);
            layer.afterStep(); // after a reported step the explicit hook does nothing
            assertSame(unchanged, layer.connectivity(), "no rewiring at step " + t);
        }
        float[] x = smallIntegers(3, BATCH * IN);
        float[] r = smallIntegers(103, BATCH * OUT);
        step(layer, optimizer, x, r); // inside a scope: the new pattern must outlive it
        Snapshot before = atUpdate.get(2);
        int k = rigl.connectionsToChange(3, layer.nnz());
        assertEquals((int) (0.25 * (1 + Math.cos(Math.PI * 3 / 750)) * 32), k);
        assertEquals(k, candidatesAtUpdate.get(2)[0].length, "the backward pass found k candidates");
        assertEquals(3, layer.rewiringState().completedSteps());

        Snapshot after = Snapshot.of(layer, stateOf(optimizer));
        assertRewired(before, after, bruteForceTopK(before.connectivity(), x, r, k), smallestMagnitudes(before, k));
        assertSame(weight, layer.weightValues(), "the weight parameter is the same object");
        assertSame(weight, layer.parameters().get(0));

        // The optimizer goes on with the same parameter: a grown connection moves from 0 by its first update.
        float[] x4 = smallIntegers(4, BATCH * IN);
        float[] r4 = smallIntegers(104, BATCH * OUT);
        step(layer, optimizer, x4, r4);
        Snapshot next = Snapshot.of(layer, stateOf(optimizer));
        Connectivity c = after.connectivity();
        int checkedGrown = 0;
        for (int o = 0; o < OUT; o++) {
            for (int j = c.rowStart(o); j < c.rowStart(o + 1); j++) {
                int i = c.column(j);
                double g = 0;
                for (int b = 0; b < BATCH; b++) {
                    g += (double) r4[b * OUT + o] * x4[b * IN + i];
                }
                double expected = expectedUpdate(optimizer, after, j, g);
                assertEquals(
                        expected,
                        next.weights()[j],
                        1e-5 * Math.max(1, Math.abs(expected)),
                        "weight of (" + o + ", " + i + ") after the next step");
                if (before.indexOf(o, i) < 0 && g != 0) {
                    assertNotEquals(0f, next.weights()[j], "grown (" + o + ", " + i + ") is updated");
                    checkedGrown++;
                }
            }
        }
        assertTrue(checkedGrown > 0, "some grown connection had a gradient");
    }

    /** The weight after one more update from {@code snapshot}'s state with gradient {@code g}, in double. */
    private static double expectedUpdate(Optimizer optimizer, Snapshot snapshot, int j, double g) {
        double w = snapshot.weights()[j];
        if (optimizer instanceof SGD) {
            double velocity = 0.9 * snapshot.state().get(0)[j] + g;
            return w - LR * velocity;
        }
        Adam adam = (Adam) optimizer;
        long t = adam.steps();
        double m = 0.9 * snapshot.state().get(0)[j] + 0.1 * g;
        double v = 0.999 * snapshot.state().get(1)[j] + 0.001 * g * g;
        double mHat = m / (1 - Math.pow(0.9, t));
        return w - LR * mHat / (Math.sqrt(v) / Math.sqrt(1 - Math.pow(0.999, t)) + 1e-8);
    }

    @Test
    void setWithSgdMomentumReplacesTheSmallestWeightsByRandomNewOnes() {
        checkSet(parameters -> new SGD(parameters, LR, 0.9));
    }

    @Test
    void setWithAdamKeepsTheMomentsOfKeptConnections() {
        checkSet(parameters -> new Adam(parameters, LR));
    }

    private void checkSet(Function<List<Parameter>, Optimizer> optimizerFor) {
        SparseLinear layer = layer(SET.defaults(), 8);
        Optimizer optimizer = optimizerFor.apply(layer.parameters());
        for (int t = 1; t <= 3; t++) {
            step(layer, optimizer, smallIntegers(t, BATCH * IN), smallIntegers(200 + t, BATCH * OUT));
            Connectivity unchanged = layer.connectivity();
            TrainingHooks.afterStep(layer);
            assertSame(unchanged, layer.connectivity(), "SET does not rewire after a step");
        }
        Snapshot before = Snapshot.of(layer, stateOf(optimizer));
        int count = (int) (0.3 * layer.nnz());

        TrainingHooks.afterEpoch(new Sequential(new Flatten(), layer));

        Snapshot after = Snapshot.of(layer, stateOf(optimizer));
        assertRewired(before, after, null, smallestMagnitudes(before, count));

        // Same seed, same training: the same positions are grown.
        SparseLinear twin = layer(SET.defaults(), 8);
        Optimizer twinOptimizer = optimizerFor.apply(twin.parameters());
        for (int t = 1; t <= 3; t++) {
            step(twin, twinOptimizer, smallIntegers(t, BATCH * IN), smallIntegers(200 + t, BATCH * OUT));
        }
        twin.afterEpoch();
        assertEquals(layer.connectivity(), twin.connectivity(), "reproducible from the layer's seed");
        step(layer, optimizer, smallIntegers(9, BATCH * IN), smallIntegers(209, BATCH * OUT));
    }

    @Test
    void rigLScheduleFollowsTheCosineDecay() {
        RigL rigl = RigL.forPlannedSteps(1000);
        assertEquals(100, rigl.deltaT());
        assertEquals(750, rigl.tEnd());
        assertEquals(0.3, rigl.alpha());
        int nnz = 10_000;
        assertEquals((int) (0.15 * (1 + Math.cos(Math.PI * 100 / 750)) * nnz), rigl.connectionsToChange(100, nnz));
        assertEquals(
                2870,
                rigl.connectionsToChange(100, nnz),
                "0.15 * (1 + cos(2 pi / 15)) * 10000 = 0.15 * 1.9135 * 10000 = 2870.3");
        assertEquals(0, rigl.connectionsToChange(150, nnz), "not a multiple of deltaT");
        assertEquals(0, rigl.connectionsToChange(800, nnz), "after tEnd");
        assertEquals(0, rigl.connectionsToChange(0, nnz));
        assertTrue(rigl.connectionsToChange(700, nnz) < rigl.connectionsToChange(300, nnz), "decays");
        assertEquals("RigL(deltaT=100, tEnd=750, alpha=0.3)", rigl.name());
        assertThrows(IllegalArgumentException.class, () -> RigL.forPlannedSteps(0));
        assertThrows(IllegalArgumentException.class, () -> rigl.withAlpha(0));
        assertThrows(IllegalArgumentException.class, () -> rigl.withDeltaT(0));
        assertThrows(IllegalArgumentException.class, () -> SET.withZeta(1));
        assertEquals(3, SET.withZeta(0.3).connectionsToChange(Connectivity.fromCoo(2, 10, new int[][] {
            {0, 0, 0, 0, 0, 1, 1, 1, 1, 1}, {0, 1, 2, 3, 4, 0, 1, 2, 3, 4}
        })));
    }

    @Test
    void aRewiringSharedByTwoLayersCountsStepsPerLayer() {
        RigL rigl = RigL.forPlannedSteps(100).withDeltaT(2);
        SparseLinear first = layer(rigl, 1);
        SparseLinear second = layer(rigl, 2);
        SGD firstOptimizer = new SGD(List.of(first.weightValues()), LR, 0.9);
        SGD secondOptimizer = new SGD(List.of(second.weightValues()), LR, 0.9);
        step(first, firstOptimizer, smallIntegers(1, BATCH * IN), smallIntegers(101, BATCH * OUT));
        step(first, firstOptimizer, smallIntegers(2, BATCH * IN), smallIntegers(102, BATCH * OUT));
        step(second, secondOptimizer, smallIntegers(2, BATCH * IN), smallIntegers(102, BATCH * OUT));
        assertEquals(2, first.rewiringState().completedSteps(), "the first layer's optimizer stepped twice");
        assertEquals(1, second.rewiringState().completedSteps(), "the second layer's once");
        assertTrue(first.toString().endsWith(", rewiring=RigL(deltaT=2, tEnd=75, alpha=0.3))"), first.toString());
    }

    @Test
    void rewireRefusesAConnectionKeptAtItsColumnButMovedToAnotherRow() {
        // Rows 0 and 1 both hold column 2; swapping their sources keeps every column but moves both rows.
        Connectivity both = Connectivity.fromCsr(2, 3, new int[] {0, 1, 2}, new int[] {2, 2});
        var moved = assertThrows(
                IllegalArgumentException.class, () -> LayerRewiring.check(both, both, new int[] {1, 0}, "layer"));
        assertTrue(moved.getMessage().contains("takes old connection 1 at (1, 2)"), moved.getMessage());
        LayerRewiring.check(both, both, new int[] {0, 1}, "layer");
        LayerRewiring.check(both, both, new int[] {-1, 1}, "layer");
    }

    @Test
    void rewireRefusesRequestsThatWouldMoveOrDuplicateAConnection() {
        SparseLinear layer = layer(SET.defaults(), 3);
        Connectivity c = layer.connectivity();
        int[][] connectionsBefore = c.toCoo();
        float[] weightsBefore = layer.weightValues().toArray();
        int nnz = c.nnz();
        int[] identity = new int[nnz];
        for (int j = 0; j < nnz; j++) {
            identity[j] = j;
        }
        layer.rewire(c, identity);
        int[] twice = identity.clone();
        twice[1] = 0;
        var duplicate = assertThrows(IllegalArgumentException.class, () -> layer.rewire(c, twice));
        assertTrue(duplicate.getMessage().contains("old connection 0"), duplicate.getMessage());
        int[] shifted = identity.clone();
        shifted[0] = 1;
        shifted[1] = 0;
        var moved = assertThrows(IllegalArgumentException.class, () -> layer.rewire(c, shifted));
        assertTrue(moved.getMessage().contains("must stay where it is"), moved.getMessage());
        var shorter = assertThrows(IllegalArgumentException.class, () -> layer.rewire(c, new int[nnz - 1]));
        assertTrue(shorter.getMessage().contains(String.valueOf(nnz)), shorter.getMessage());
        int[] outOfRange = identity.clone();
        outOfRange[2] = nnz;
        assertThrows(IllegalArgumentException.class, () -> layer.rewire(c, outOfRange));
        // The identity request kept everything; the refused ones changed nothing.
        assertArrayEquals(connectionsBefore, layer.connectivity().toCoo(), "the same connections");
        assertArrayEquals(weightsBefore, layer.weightValues().toArray(), "the same weights, in the same order");
        assertThrows(IllegalStateException.class, () -> new SparseLinear(4, 4).random());
    }
}
