package org.sparselinear.tck;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.util.List;
import java.util.function.Consumer;
import java.util.stream.Stream;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.sparselinear.api.Backend;
import org.sparselinear.api.DenseMatrix;
import org.sparselinear.tck.reference.HostMatrix;
import org.sparselinear.tck.reference.ReferenceSparsityOps;
import org.sparselinear.tck.reference.Shape;
import org.sparselinear.tck.reference.TestData;

/**
 * {@code kWinners} and {@code boostFactors}: the winners of every row exactly (values, mask and
 * the tie rule: equal scores go to the lower column, NaN scores last), on random rows with random
 * boosts, rows full of ties, signed zeros and NaN, k from 0 to the row length; the boost factors
 * within tolerance; and the argument checks of both.
 */
abstract class KWinnersContract extends BackendContract {

    /** A named case: the input, the boost and k. */
    record WinnersCase(String name, HostMatrix x, HostMatrix boost, int k) {

        @Override
        public String toString() {
            return name;
        }
    }

    private static WinnersCase random(int rows, int columns, int k) {
        TestData data = TestData.seededBy("kWinners " + rows + "x" + columns + " k" + k);
        HostMatrix x = data.signed(rows, columns);
        HostMatrix boost = data.uniform(new Shape(1, columns), 0.5, 2);
        return new WinnersCase(String.format("random (%d, %d), k = %d", rows, columns, k), x, boost, k);
    }

    private static HostMatrix ones(int columns) {
        float[] values = new float[columns];
        java.util.Arrays.fill(values, 1f);
        return HostMatrix.vector(values);
    }

    static Stream<WinnersCase> cases() {
        // Scores with many ties: values from {-1, 0, 1, 2} and a boost of 1.
        TestData tied = TestData.seededBy("kWinners ties");
        float[] tiedValues = new float[9 * 40];
        for (int i = 0; i < tiedValues.length; i++) {
            tiedValues[i] = tied.labels(1, 4)[0] - 1;
        }
        float nan = Float.NaN;
        return Stream.of(
                random(1, 1, 0),
                random(1, 1, 1),
                random(1, 37, 5),
                random(7, 13, 4),
                random(7, 13, 13),
                random(64, 100, 35),
                random(33, 1, 1),
                random(5, 200, 199),
                random(3, 2000, 700),
                new WinnersCase(
                        "ties between equal scores go to the lower column, (9, 40), k = 11",
                        new HostMatrix(9, 40, tiedValues),
                        ones(40),
                        11),
                new WinnersCase(
                        "boost decides: a smaller value with a larger boost wins",
                        new HostMatrix(1, 4, new float[] {1, 0.6f, 0.9f, 0.2f}),
                        HostMatrix.vector(new float[] {0.5f, 1, 0.5f, 10}),
                        2),
                new WinnersCase(
                        "-0.0 and 0.0 tie, negative values can win",
                        new HostMatrix(2, 5, new float[] {-0f, 0f, -1, -2, -0f, -3, -1, -1, -2, -5}),
                        ones(5),
                        3),
                new WinnersCase(
                        "NaN scores rank last",
                        new HostMatrix(2, 4, new float[] {nan, 1, nan, 0, 2, nan, -1, nan}),
                        ones(4),
                        3));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    @DisplayName("kWinners keeps the k largest boosted scores of each row")
    void kWinners(WinnersCase c) {
        DenseMatrix x = upload(c.x());
        DenseMatrix y = garbage(c.x().rows(), c.x().columns());
        DenseMatrix mask = garbage(c.x().rows(), c.x().columns());

        backend().kWinners(x, upload(c.boost()), c.k(), y, mask);

        ReferenceSparsityOps.Winners expected = ReferenceSparsityOps.kWinners(c.x(), c.boost(), c.k());
        assertSameValues(
                "kWinners mask", c.x().columns(), expected.mask(), backend().download(mask));
        assertSameValues("kWinners y", c.x().columns(), expected.y(), backend().download(y));
        assertUnchanged("kWinners x", c.x(), x);
    }

    /** Exact equality, NaN equal to NaN and {@code -0.0} equal to {@code 0.0}; names the first difference. */
    static void assertSameValues(String what, int columns, float[] expected, float[] actual) {
        assertEquals(expected.length, actual.length, what + ": number of elements");
        for (int i = 0; i < expected.length; i++) {
            boolean same = expected[i] == actual[i] || (Float.isNaN(expected[i]) && Float.isNaN(actual[i]));
            if (!same) {
                fail(what + ": first difference at (" + i / columns + ", " + i % columns + "): expected " + expected[i]
                        + ", got " + actual[i]);
            }
        }
    }

    /** Duty cycles, target density, boost strength. */
    record BoostCase(String name, HostMatrix dutyCycle, float density, float strength, boolean inPlace) {

        @Override
        public String toString() {
            return name;
        }
    }

    static Stream<BoostCase> boostCases() {
        TestData data = TestData.seededBy("boostFactors");
        HostMatrix dutyCycle = data.uniform(new Shape(1, 300), 0, 1);
        return Stream.of(
                new BoostCase("density 0.1, strength 1.5", dutyCycle, 0.1f, 1.5f, false),
                new BoostCase("density 0.35, strength 1, in place", dutyCycle, 0.35f, 1f, true),
                new BoostCase("strength 0 gives ones", dutyCycle, 0.2f, 0f, false),
                new BoostCase("one feature, strength 10", HostMatrix.vector(new float[] {0.9f}), 0.05f, 10f, false));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("boostCases")
    @DisplayName("boostFactors gives exp(strength * (density - dutyCycle))")
    void boostFactors(BoostCase c) {
        DenseMatrix dutyCycle = upload(c.dutyCycle());
        DenseMatrix boost = c.inPlace() ? dutyCycle : garbage(1, c.dutyCycle().columns());

        backend().boostFactors(dutyCycle, c.density(), c.strength(), boost);

        assertMatches(
                "boostFactors boost",
                ReferenceSparsityOps.boostFactors(c.dutyCycle(), c.density(), c.strength()),
                boost);
        if (!c.inPlace()) {
            assertUnchanged("boostFactors dutyCycle", c.dutyCycle(), dutyCycle);
        }
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

    static Stream<BadCall> badCalls() {
        return Stream.of(
                call(
                        "boost (1, 5) for x (3, 4)",
                        b -> b.kWinners(b.zeros(3, 4), b.zeros(1, 5), 2, b.zeros(3, 4), b.zeros(3, 4)),
                        "(1, 4)",
                        "(1, 5)"),
                call(
                        "mask (3, 5) for x (3, 4)",
                        b -> b.kWinners(b.zeros(3, 4), b.zeros(1, 4), 2, b.zeros(3, 4), b.zeros(3, 5)),
                        "(3, 4)",
                        "(3, 5)"),
                call(
                        "k = 5 of 4 features",
                        b -> b.kWinners(b.zeros(3, 4), b.zeros(1, 4), 5, b.zeros(3, 4), b.zeros(3, 4)),
                        "5",
                        "4"),
                call("k = -1", b -> b.kWinners(b.zeros(3, 4), b.zeros(1, 4), -1, b.zeros(3, 4), b.zeros(3, 4)), "-1"),
                call(
                        "y is x",
                        b -> {
                            DenseMatrix x = b.zeros(3, 4);
                            b.kWinners(x, b.zeros(1, 4), 1, x, b.zeros(3, 4));
                        },
                        "y"),
                call(
                        "kWinners boost of another backend",
                        b -> b.kWinners(b.zeros(3, 4), ForeignResources.matrix(1, 4), 1, b.zeros(3, 4), b.zeros(3, 4)),
                        ForeignResources.BACKEND_NAME),
                call(
                        "boostFactors boost (1, 3) for (1, 4)",
                        b -> b.boostFactors(b.zeros(1, 4), 0.1f, 1, b.zeros(1, 3)),
                        "(1, 4)",
                        "(1, 3)"),
                call(
                        "boostFactors strength NaN",
                        b -> b.boostFactors(b.zeros(1, 4), 0.1f, Float.NaN, b.zeros(1, 4)),
                        "strength"));
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
