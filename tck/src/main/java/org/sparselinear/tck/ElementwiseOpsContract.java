package org.sparselinear.tck;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;

import java.util.Arrays;
import java.util.stream.Stream;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.sparselinear.api.Activation;
import org.sparselinear.api.DenseMatrix;
import org.sparselinear.tck.reference.Expected;
import org.sparselinear.tck.reference.HostMatrix;
import org.sparselinear.tck.reference.ReferenceOps;
import org.sparselinear.tck.reference.Shape;
import org.sparselinear.tck.reference.TestData;

/**
 * The contract of {@link org.sparselinear.spi.ElementwiseOps}: {@code activate} and
 * {@code activateBackward} for every {@link Activation} (so a new entry is checked on every
 * backend at once), {@code axpy}, {@code scale}, and {@code dropout}, whose mask every backend
 * must draw bit for bit as {@link org.sparselinear.spi.DropoutMask} does.
 */
abstract class ElementwiseOpsContract extends BackendContract {

    private static final float ALPHA = -1.5f;

    @ParameterizedTest(name = "{0} {1}, in place={2}")
    @MethodSource("activationCases")
    @DisplayName("activate gives y = f(x), also in place")
    void activate(Activation function, Shape shape, boolean inPlace) {
        HostMatrix x = inputs("activate " + function + " " + shape, shape);
        DenseMatrix deviceX = upload(x);
        DenseMatrix y = inPlace ? deviceX : garbage(shape.rows(), shape.columns());

        backend().activate(function, deviceX, y);

        assertMatches("activate " + function + " y", ReferenceOps.activate(function, x), y);
        if (!inPlace) {
            assertUnchanged("activate x", x, deviceX);
        }
    }

    @ParameterizedTest(name = "{0} {1}, accumulate={2}")
    @MethodSource("activationCases")
    @DisplayName("activateBackward gives dx (+)= dy f'(x, y)")
    void activateBackward(Activation function, Shape shape, boolean accumulate) {
        String label = "activateBackward " + function + " " + shape;
        HostMatrix x = inputs(label, shape);
        HostMatrix y = new HostMatrix(
                shape.rows(),
                shape.columns(),
                ReferenceOps.activate(function, x).toFloats());
        TestData data = TestData.seededBy(label);
        HostMatrix dy = data.signed(shape);
        HostMatrix prior = data.signed(shape);
        DenseMatrix dx = output(prior, accumulate);

        backend().activateBackward(function, upload(x), upload(y), upload(dy), dx, accumulate);

        assertMatches(
                "activateBackward " + function + " dx",
                accumulated(ReferenceOps.activateBackward(function, x, y, dy), prior, accumulate),
                dx);
    }

    /** Every activation on every shape, with the flag (in place, accumulate) off and on. */
    static Stream<Arguments> activationCases() {
        return Arrays.stream(Activation.values()).flatMap(function -> Cases.shapesWithFlag()
                .map(arguments ->
                        Arguments.of(function, arguments.get()[0], arguments.get()[1])));
    }

    /** Uniform in [-4, 4), where the functions bend and saturate, with every fifth element exactly 0. */
    private static HostMatrix inputs(String label, Shape shape) {
        HostMatrix x = TestData.seededBy(label).uniformWithZeros(shape, 5);
        for (int i = 0; i < x.values().length; i++) {
            x.values()[i] *= 4;
        }
        return x;
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("org.sparselinear.tck.Cases#shapes")
    @DisplayName("axpy gives y += alpha x")
    void axpy(Shape shape) {
        TestData data = TestData.seededBy("axpy " + shape);
        HostMatrix x = data.signed(shape);
        HostMatrix y = data.signed(shape);
        DenseMatrix deviceX = upload(x);
        DenseMatrix deviceY = upload(y);

        backend().axpy(ALPHA, deviceX, deviceY);

        assertMatches("axpy y", ReferenceOps.axpy(ALPHA, x, y), deviceY);
        assertUnchanged("axpy x", x, deviceX);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("org.sparselinear.tck.Cases#shapes")
    @DisplayName("scale gives x *= alpha")
    void scale(Shape shape) {
        HostMatrix x = TestData.seededBy("scale " + shape).signed(shape);
        DenseMatrix deviceX = upload(x);

        backend().scale(deviceX, ALPHA);

        assertMatches("scale x", ReferenceOps.scale(x, ALPHA), deviceX);
    }

    /** Two keys that differ only in their high half, which a backend must not drop. */
    private static final long[] KEYS = {0xC0FFEE1234567890L, 0xC0FFEE1234567890L ^ (1L << 40)};

    @ParameterizedTest(name = "p={0} {1}, accumulate={2}")
    @MethodSource("dropoutCases")
    @DisplayName("dropout keeps what DropoutMask keeps, times 1 / (1 - p), bit for bit, and adds it when accumulating")
    void dropout(float p, Shape shape, boolean accumulate) {
        for (long key : KEYS) {
            String label = "dropout " + p + " " + shape + " " + key;
            TestData data = TestData.seededBy(label);
            HostMatrix x = data.signed(shape);
            HostMatrix prior = data.signed(shape);
            DenseMatrix deviceX = upload(x);
            DenseMatrix y = output(prior, accumulate);

            backend().dropout(deviceX, y, key, p, accumulate);

            float[] dropped = ReferenceOps.dropout(x, key, p);
            if (accumulate) {
                Expected sum = new Expected(shape.rows(), shape.columns());
                for (int i = 0; i < dropped.length; i++) {
                    sum.add(i, prior.values()[i]);
                    sum.add(i, dropped[i]);
                }
                assertMatches(label + " y", sum, y);
            } else {
                assertArrayEquals(dropped, backend().download(y), label + ": the mask and the scale exactly");
            }
            assertUnchanged(label + " x", x, deviceX);
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("org.sparselinear.tck.Cases#shapes")
    @DisplayName("dropout works in place")
    void dropoutInPlace(Shape shape) {
        HostMatrix x = TestData.seededBy("dropout in place " + shape).signed(shape);
        DenseMatrix deviceX = upload(x);

        backend().dropout(deviceX, deviceX, KEYS[0], 0.5f, false);

        assertArrayEquals(ReferenceOps.dropout(x, KEYS[0], 0.5f), backend().download(deviceX));
    }

    /** Probabilities from none to most, on every shape, overwriting and accumulating. */
    static Stream<Arguments> dropoutCases() {
        return Stream.of(0f, 0.3f, 0.5f, 0.9f).flatMap(p -> Cases.shapesWithFlag()
                .map(arguments -> Arguments.of(p, arguments.get()[0], arguments.get()[1])));
    }
}
