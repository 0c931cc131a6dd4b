package org.sparselinear.tck;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.function.Consumer;
import java.util.stream.Stream;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.sparselinear.api.Backend;
import org.sparselinear.api.Connectivity;
import org.sparselinear.api.DenseMatrix;
import org.sparselinear.tck.reference.HostMatrix;
import org.sparselinear.tck.reference.Patterns;
import org.sparselinear.tck.reference.ReferenceSparsityOps;
import org.sparselinear.tck.reference.TestData;
import org.sparselinear.tck.reference.Tolerance;

/**
 * {@code topKAbsDenseGradient} (RigL's grow step) against a brute-force dense gradient, and
 * {@code gather}. On random data the answer is checked within {@link Tolerance}: the right count,
 * valid and distinct positions outside the pattern, in decreasing order of magnitude, and no
 * position left out that is larger than one taken. On small-integer data, where every gradient is
 * exact in float32, the answer must be exactly the reference's, ties (by row-major position) and
 * NaN (last) included.
 */
abstract class RewiringContract extends BackendContract {

    /** A pattern to exclude, a batch and k. */
    record TopKCase(String name, SparsePattern pattern, int batch, int k) {

        @Override
        public String toString() {
            return name + ", batch " + batch + ", k = " + k;
        }
    }

    private static final SparsePattern RANDOM =
            new SparsePattern("random 30x50, 20 % dense", () -> Patterns.random(30, 50, 0.2, 11));
    private static final SparsePattern EMPTY_ROWS = new SparsePattern(
            "40x61 with empty rows and empty columns", () -> Patterns.emptyRowsAndColumns(40, 61, 0.3, 13));
    private static final SparsePattern NONE = new SparsePattern("5x7 with no connections", () -> Patterns.empty(5, 7));
    private static final SparsePattern FULL = new SparsePattern("fully connected 9x13", () -> Patterns.full(9, 13));
    private static final SparsePattern ONE_INPUT =
            new SparsePattern("single input 40x1, 50 % dense", () -> Patterns.random(40, 1, 0.5, 15));
    private static final SparsePattern WIDE =
            new SparsePattern("64x5000 with one full row", () -> Patterns.oneDenseRow(64, 5000, 17, 3, 16));
    private static final SparsePattern LARGE =
            new SparsePattern("1500x1500 at 99 % sparsity", () -> Patterns.random(1500, 1500, 0.01, 18));

    static Stream<TopKCase> randomCases() {
        return Stream.of(
                new TopKCase("one position", RANDOM, 7, 1),
                new TopKCase("some", RANDOM, 7, 100),
                new TopKCase("more than the empty positions", RANDOM, 7, 5000),
                new TopKCase("none asked", RANDOM, 7, 0),
                new TopKCase("empty rows and columns", EMPTY_ROWS, 1, 50),
                new TopKCase("no connections: every position is a candidate", NONE, 3, 35),
                new TopKCase("fully connected: nothing to grow", FULL, 4, 5),
                new TopKCase("one input", ONE_INPUT, 64, 10),
                new TopKCase("a full row among sparse ones", WIDE, 7, 300),
                new TopKCase("large: many rows, wide rows", LARGE, 3, 500));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("randomCases")
    @DisplayName("topKAbsDenseGradient finds the largest |dY^T X| outside the pattern")
    void topKOnRandomData(TopKCase c) {
        Connectivity exclude = c.pattern().connectivity();
        TestData data = TestData.seededBy("topKAbsDenseGradient " + c);
        HostMatrix dy = data.signed(c.batch(), exclude.rows());
        HostMatrix x = data.signed(c.batch(), exclude.columns());
        DenseMatrix deviceX = upload(x);

        int[][] found =
                backend().topKAbsDenseGradient(upload(dy), deviceX, backend().pattern(exclude), c.k());

        long empty = (long) exclude.rows() * exclude.columns() - exclude.nnz();
        int m = (int) Math.min(c.k(), empty);
        assertShape(found, m);
        ReferenceSparsityOps.DenseGradient g = ReferenceSparsityOps.denseGradient(dy, x);
        Set<Long> taken = new HashSet<>();
        double lowestTaken = Double.POSITIVE_INFINITY;
        for (int j = 0; j < m; j++) {
            int o = found[0][j];
            int i = found[1][j];
            assertTrue(
                    o >= 0 && o < exclude.rows() && i >= 0 && i < exclude.columns(),
                    "position " + j + " (" + o + ", " + i + ") is outside the " + exclude);
            assertTrue(!exclude.contains(o, i), "position " + j + " (" + o + ", " + i + ") is connected already");
            assertTrue(taken.add((long) o * exclude.columns() + i), "position " + j + " (" + o + ", " + i + ") twice");
            double high = Math.abs(g.value(o, i)) + Tolerance.allowed(g.value(o, i), g.magnitude(o, i));
            lowestTaken = Math.min(lowestTaken, high);
            if (j > 0) {
                int po = found[0][j - 1];
                int pi = found[1][j - 1];
                double previousHigh =
                        Math.abs(g.value(po, pi)) + Tolerance.allowed(g.value(po, pi), g.magnitude(po, pi));
                double low = Math.abs(g.value(o, i)) - Tolerance.allowed(g.value(o, i), g.magnitude(o, i));
                assertTrue(
                        low <= previousHigh,
                        String.format(
                                Locale.ROOT,
                                "not in decreasing order: position %d (%d, %d) has |g| = %.6g after |g| = %.6g",
                                j,
                                o,
                                i,
                                Math.abs(g.value(o, i)),
                                Math.abs(g.value(po, pi))));
            }
        }
        for (int o = 0; o < exclude.rows(); o++) {
            for (int i = 0; i < exclude.columns(); i++) {
                if (taken.contains((long) o * exclude.columns() + i) || exclude.contains(o, i)) {
                    continue;
                }
                double low = Math.abs(g.value(o, i)) - Tolerance.allowed(g.value(o, i), g.magnitude(o, i));
                if (low > lowestTaken) {
                    fail(String.format(
                            Locale.ROOT,
                            "(%d, %d) with |g| = %.6g was left out, but a position with |g| " + "<= %.6g was taken",
                            o,
                            i,
                            Math.abs(g.value(o, i)),
                            lowestTaken));
                }
            }
        }
        assertUnchanged("topKAbsDenseGradient x", x, deviceX);
    }

    /** Integer-valued cases: the gradient is exact, so the answer is unique. */
    record ExactCase(String name, Connectivity exclude, HostMatrix dy, HostMatrix x, int k) {

        @Override
        public String toString() {
            return name;
        }
    }

    private static HostMatrix smallIntegers(TestData data, int rows, int columns) {
        float[] values = new float[rows * columns];
        int[] draws = data.labels(values.length, 3);
        for (int i = 0; i < values.length; i++) {
            values[i] = draws[i] - 1;
        }
        return new HostMatrix(rows, columns, values);
    }

    static Stream<ExactCase> exactCases() {
        TestData data = TestData.seededBy("topKAbsDenseGradient exact");
        Connectivity pattern = Patterns.random(20, 30, 0.3, 21);
        HostMatrix dy = smallIntegers(data, 5, 20);
        HostMatrix x = smallIntegers(data, 5, 30);
        HostMatrix zeroDy = new HostMatrix(5, 20, new float[100]);
        HostMatrix withNan = smallIntegers(data, 5, 30);
        for (int b = 0; b < 5; b++) {
            withNan.values()[b * 30 + 7] = Float.NaN;
        }
        int empty = 20 * 30 - pattern.nnz();
        return Stream.of(
                new ExactCase("integer gradients with many ties, k = 40", pattern, dy, x, 40),
                new ExactCase("zero gradient: the first empty positions in row-major order", pattern, zeroDy, x, 25),
                new ExactCase("a NaN input column ranks last, k = every empty position", pattern, dy, withNan, empty));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("exactCases")
    @DisplayName("topKAbsDenseGradient breaks ties by row-major position and ranks NaN last")
    void topKExact(ExactCase c) {
        int[][] found = backend()
                .topKAbsDenseGradient(upload(c.dy()), upload(c.x()), backend().pattern(c.exclude()), c.k());

        int[][] expected = ReferenceSparsityOps.exactTopK(c.exclude(), c.dy(), c.x(), c.k());
        assertShape(found, expected[0].length);
        assertArrayEquals(expected[0], found[0], "rows");
        assertArrayEquals(expected[1], found[1], "columns");
    }

    private static void assertShape(int[][] found, int m) {
        assertNotNull(found, "topKAbsDenseGradient returned null");
        assertEquals(2, found.length, "a (2, m) array: rows, then columns");
        assertEquals(m, found[0].length, "number of rows returned");
        assertEquals(m, found[1].length, "number of columns returned");
    }

    /** Source length and positions. */
    record GatherCase(String name, int n, int[] positions) {

        @Override
        public String toString() {
            return name;
        }
    }

    static Stream<GatherCase> gatherCases() {
        int[] permutation = new int[500];
        for (int j = 0; j < permutation.length; j++) {
            permutation[j] = (j * 7919) % 500;
        }
        return Stream.of(
                new GatherCase("identity", 5, new int[] {0, 1, 2, 3, 4}),
                new GatherCase("kept and new elements", 6, new int[] {0, -1, 2, 5, -1, -1}),
                new GatherCase("a permutation of 500", 500, permutation),
                new GatherCase("repeated sources, shorter target", 4, new int[] {3, 3, 0}),
                new GatherCase("all new from an empty source", 0, new int[] {-1, -1}),
                new GatherCase("empty target", 3, new int[0]));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("gatherCases")
    @DisplayName("gather gives target[j] = source[positions[j]], 0 where -1")
    void gather(GatherCase c) {
        HostMatrix source = HostMatrix.vector(TestData.seededBy("gather " + c).signed(c.n()));
        DenseMatrix deviceSource = upload(source);
        DenseMatrix target = garbage(1, c.positions().length);

        backend().gather(deviceSource, c.positions(), target);

        assertArrayEquals(
                ReferenceSparsityOps.gather(source.values(), c.positions()),
                backend().download(target));
        assertUnchanged("gather source", source, deviceSource);
    }

    /** A call with a bad argument, and the fragments its message must contain. */
    record BadCall(String name, Consumer<Backend> call, List<String> fragments) {

        @Override
        public String toString() {
            return name;
        }
    }

    private static BadCall call(String name, Consumer<Backend> call, String... fragments) {
        return new BadCall(name, call, List.of(fragments));
    }

    private static final Connectivity WEIGHT = Patterns.random(5, 8, 0.5, 3);

    static Stream<BadCall> badCalls() {
        return Stream.of(
                call(
                        "dy (4, 6) for a (5, 8) pattern",
                        b -> b.topKAbsDenseGradient(b.zeros(4, 6), b.zeros(4, 8), b.pattern(WEIGHT), 3),
                        "(4, 5)",
                        "(4, 6)"),
                call(
                        "x (3, 8) for dy (4, 5)",
                        b -> b.topKAbsDenseGradient(b.zeros(4, 5), b.zeros(3, 8), b.pattern(WEIGHT), 3),
                        "(4, 8)",
                        "(3, 8)"),
                call("k = -2", b -> b.topKAbsDenseGradient(b.zeros(4, 5), b.zeros(4, 8), b.pattern(WEIGHT), -2), "-2"),
                call(
                        "pattern of another backend",
                        b -> b.topKAbsDenseGradient(b.zeros(4, 5), b.zeros(4, 8), ForeignResources.pattern(WEIGHT), 3),
                        ForeignResources.BACKEND_NAME),
                call(
                        "gather position 6 of 6",
                        b -> b.gather(b.zeros(1, 6), new int[] {0, 6}, b.zeros(1, 2)),
                        "position 1",
                        "6"),
                call("gather position -2", b -> b.gather(b.zeros(1, 6), new int[] {-2}, b.zeros(1, 1)), "-2"),
                call(
                        "gather target (1, 3) for 2 positions",
                        b -> b.gather(b.zeros(1, 6), new int[] {0, 1}, b.zeros(1, 3)),
                        "(1, 2)",
                        "(1, 3)"),
                call(
                        "gather into its source",
                        b -> {
                            DenseMatrix m = b.zeros(1, 2);
                            b.gather(m, new int[] {1, 0}, m);
                        },
                        "source"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("badCalls")
    @DisplayName("bad arguments are refused, naming what is wrong")
    void badArgumentIsRefused(BadCall call) {
        IllegalArgumentException e =
                assertThrows(IllegalArgumentException.class, () -> call.call().accept(backend()));
        String message = String.valueOf(e.getMessage());
        for (String fragment : call.fragments()) {
            assertTrue(message.contains(fragment), () -> "the message should contain '" + fragment + "': " + message);
        }
    }
}
